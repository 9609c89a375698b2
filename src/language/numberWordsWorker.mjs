// The worker thread of src/language/numberWords.ts: Microsoft's French number recognizers (shipped with
// botbuilder-dialogs), which compile large regular expressions on first use, run here off the event loop.
// Plain JavaScript, so that the same file runs from the sources (tests, `npm run dev`) and behind the build.
import { NumberRecognizer } from '@microsoft/recognizers-text-number';
import { NumberWithUnitRecognizer } from '@microsoft/recognizers-text-number-with-unit';
import { parentPort } from 'node:worker_threads';

const models = {
  number: new NumberRecognizer('fr-fr').getNumberModel(),
  percent: new NumberRecognizer('fr-fr').getPercentageModel(),
  currency: new NumberWithUnitRecognizer('fr-fr').getCurrencyModel(),
};

parentPort.on('message', ({ id, model, text }) => {
  try {
    parentPort.postMessage({ id, result: models[model].parse(text).map((r) => r.resolution?.value) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err) });
  }
});

// The first parse of each model compiles its expressions: done now, before anyone waits for it.
models.number.parse('douze');
models.currency.parse('douze euros');
models.percent.parse('dix pour cent');
