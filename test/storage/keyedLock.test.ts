import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/util/keyedLock.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('KeyedLock', () => {
  it('runs tasks with the same name one after another, in call order', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (label: string) => async () => {
      events.push(`${label} start`);
      await tick();
      events.push(`${label} end`);
      return label;
    };

    const results = await Promise.all([
      lock.run('k', task('a')),
      lock.run('k', task('b')),
      lock.run('k', task('c')),
    ]);

    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('runs tasks with different names side by side', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    await Promise.all(
      ['x', 'y'].map((name) =>
        lock.run(name, async () => {
          events.push(`${name} start`);
          await tick();
          events.push(`${name} end`);
        }),
      ),
    );
    expect(events.slice(0, 2).sort()).toEqual(['x start', 'y start']);
  });

  it('goes on after a failing task, and forgets names once idle', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('k', async () => {
      await tick();
      throw new Error('boom');
    });
    const next = lock.run('k', async () => 'after');

    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
    expect(lock.size).toBe(0);
  });
});
