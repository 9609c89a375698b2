import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { botFrameworkFile, rewriteCompiledAsync } from '../../src/bot/nativeAsync.js';

/** TypeScript source compiled as the Bot Framework SDK is: ES2015, CommonJS (async functions become `__awaiter`). */
const compiled = (source: string) =>
  ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2015, module: ts.ModuleKind.CommonJS },
  }).outputText;

/** Runs a CommonJS module's code and returns its exports. */
function load(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(`(function (exports, module) { ${code}\n})`, { Promise, setTimeout })(
    module.exports,
    module,
  );
  return module.exports;
}

const sample = `
export class Counter {
  constructor(private step: number) {}
  private async wait<T>(value: T): Promise<T> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return value;
  }
  async add(values: number[]): Promise<number> {
    let total = 0;
    for (const value of values) total += await this.wait(value * this.step);
    return total;
  }
  async guarded(fail: boolean): Promise<string[]> {
    const seen: string[] = [];
    try {
      seen.push(await this.wait('before'));
      if (fail) throw new Error('failed: ' + (await this.wait('inside')));
      seen.push('not failed');
    } catch (err) {
      seen.push((err as Error).message);
    } finally {
      seen.push(await this.wait('finally'));
    }
    return seen;
  }
  async throwsAtOnce(): Promise<void> {
    throw new Error('at once');
  }
  async nested(): Promise<number[]> {
    const double = async (n: number) => (await this.wait(n)) * 2;
    return Promise.all([1, 2, 3].map(double));
  }
  async precedence(): Promise<number> {
    return (await this.wait(2)) + 3 * (await this.wait(4));
  }
  async withGenerator(): Promise<number[]> {
    function* numbers() { yield 1; yield 2; }
    return [...numbers(), await this.wait(3)];
  }
  async readsArguments(_a?: number): Promise<number> {
    return arguments.length;
  }
}
`;

async function exercise(exports: Record<string, unknown>) {
  const Counter = exports.Counter as new (
    step: number,
  ) => Record<string, (...args: unknown[]) => Promise<unknown>>;
  const counter = new Counter(10);
  // a throw before the first await rejects the promise (called without await: no exception escapes the call)
  const pending = counter.throwsAtOnce!();
  const atOnce = await pending.then(
    () => 'resolved',
    (err: Error) => err.message,
  );
  return {
    add: await counter.add!([1, 2, 3]),
    guardedOk: await counter.guarded!(false),
    guardedFailing: await counter.guarded!(true),
    atOnce,
    nested: await counter.nested!(),
    precedence: await counter.precedence!(),
    withGenerator: await counter.withGenerator!(),
    readsArguments: await counter.readsArguments!(1),
  };
}

describe('the Bot Framework SDK as native async code', () => {
  it('rewrites TypeScript-compiled async methods into native ones that behave the same', async () => {
    const original = compiled(sample);
    const { source, rewritten, kept } = rewriteCompiledAsync(original);

    expect(rewritten).toBe(9); // the eight async methods and the async arrow function inside one of them
    expect(kept).toBe(0);
    expect(source).not.toContain('__awaiter(this'); // only the helper's (now unused) definition is left
    expect(source).toContain('function* numbers()'); // a real generator stays one
    expect(source).toContain('yield 1');

    const expected = {
      add: 60,
      guardedOk: ['before', 'not failed', 'finally'],
      guardedFailing: ['before', 'failed: inside', 'finally'],
      atOnce: 'at once',
      nested: [2, 4, 6],
      precedence: 14,
      withGenerator: [1, 2, 3],
      readsArguments: 1,
    };
    expect(await exercise(load(original))).toEqual(expected);
    expect(await exercise(load(source))).toEqual(expected);
  });

  it('leaves compiled the bodies an arrow function would read differently', () => {
    const source = [
      'function a() { return __awaiter(this, void 0, void 0, function* () { return arguments.length; }); }',
      'function b() { return __awaiter(this, void 0, void 0, function* () { return new.target; }); }',
      'function c() { return __awaiter(this, void 0, void 0, function* () { yield* [1]; }); }',
      'function d() { return __awaiter(this, void 0, void 0, function* () { function e() { return arguments; } yield e; }); }',
    ].join('\n');
    const result = rewriteCompiledAsync(source);
    expect(result).toMatchObject({ rewritten: 1, kept: 3 });
    expect(result.source).toContain('(async () => { function e() { return arguments; } await (e); })()');
  });

  it('changes nothing the second time, nor in code without compiled async functions', () => {
    const once = rewriteCompiledAsync(compiled(sample)).source;
    expect(rewriteCompiledAsync(once)).toMatchObject({ source: once, rewritten: 0 });
    const plain = 'exports.x = function* () { yield 1; };';
    expect(rewriteCompiledAsync(plain)).toEqual({ source: plain, rewritten: 0, kept: 0 });
  });

  it('refuses a source it cannot parse (the hook then loads the file as shipped)', () => {
    expect(() => rewriteCompiledAsync('__awaiter(this, void 0, void 0, function* () {')).toThrow();
  });

  it('applies to the SDK packages that run in a turn, not to the browser bundles', () => {
    for (const file of [
      '/app/node_modules/botbuilder/lib/cloudAdapter.js',
      '/app/node_modules/botbuilder-core/lib/activityHandler.js',
      '/app/node_modules/botbuilder-dialogs/lib/dialogContext.js',
      '/app/node_modules/botframework-connector/lib/auth/jwtTokenValidation.js',
      'C:\\app\\node_modules\\botbuilder-core\\lib\\botState.js',
    ]) {
      expect(botFrameworkFile.test(file), file).toBe(true);
    }
    for (const file of [
      '/app/node_modules/botframework-webchat/dist/webchat.js',
      '/app/node_modules/botframework-directlinejs/lib/directLine.js',
      '/app/src/bot/adapter.js',
      '/app/node_modules/botbuilder-core/lib/index.d.ts',
    ]) {
      expect(botFrameworkFile.test(file), file).toBe(false);
    }
  });

  it('is what the tests run on, as the server does: botbuilder loaded through the hook has native async methods', () => {
    const require = createRequire(import.meta.url);
    const { ActivityHandler } = require('botbuilder-core') as { ActivityHandler: { prototype: object } };
    const { DialogContext } = require('botbuilder-dialogs') as { DialogContext: { prototype: object } };
    for (const method of [
      (ActivityHandler.prototype as { run: () => unknown }).run,
      (DialogContext.prototype as { continueDialog: () => unknown }).continueDialog,
    ]) {
      const code = method.toString();
      expect(code).toContain('(async () =>');
      expect(code).not.toContain('__awaiter');
    }
  });
});
