import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileNameForKey, keyForFileName } from '../../src/storage/keyFileName.js';

const anyKey = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('a', 'A', '/', ':', '.', '%', '=', ' ', 'é', '🙂'), maxLength: 300 }),
);

describe('file names for storage keys', () => {
  it('are portable: lower-case ASCII, no leading dot, at most 205 characters, ending in .json', () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const name = fileNameForKey(key);
        expect(name).toMatch(/^[a-z0-9_%=-][a-z0-9_.%=-]*\.json$/);
        expect(name.length).toBeLessThanOrEqual(205);
        expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/);
      }),
      { numRuns: 2_000 },
    );
  });

  it('give the key back, or say that the file holds it when the key was hashed', () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const named = keyForFileName(fileNameForKey(key));
        expect(named).toBeDefined();
        if (named?.kind === 'encoded') expect(named.key).toBe(key);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never give two keys the same name, even on a case-insensitive disk', () => {
    fc.assert(
      fc.property(anyKey, anyKey, (a, b) => {
        fc.pre(a !== b);
        expect(fileNameForKey(a).toLowerCase()).not.toBe(fileNameForKey(b).toLowerCase());
      }),
      { numRuns: 2_000 },
    );
    expect(fileNameForKey('User/1')).not.toBe(fileNameForKey('user/1'));
    expect(fileNameForKey('\ud800')).not.toBe(fileNameForKey('\ufffd'));
    expect(fileNameForKey('x'.repeat(300))).not.toBe(fileNameForKey('x'.repeat(299) + 'y'));
  });

  it('keep common Bot Framework keys readable', () => {
    expect(fileNameForKey('emulator/conversations/8f2c-41/')).toBe(
      'emulator%2fconversations%2f8f2c-41%2f.json',
    );
    expect(fileNameForKey('con')).toBe('%63on.json');
    expect(fileNameForKey('.env')).toBe('%2eenv.json');
  });

  it('ignore files that are not records: temp files, foreign names, non-canonical escapes', () => {
    for (const name of ['.user%2f1.json.tmp', 'README.md', '=abc.json', '%4A.json', '%zz.json', 'A.json']) {
      expect(keyForFileName(name)).toBeUndefined();
    }
  });
});
