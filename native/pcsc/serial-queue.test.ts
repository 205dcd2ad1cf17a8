import { describe, expect, it } from 'vitest';
import { readerQueue, SerialQueue } from './serial-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('SerialQueue', () => {
  it('runs tasks one at a time, in order, never interleaved', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, steps: number) => async () => {
      for (let i = 0; i < steps; i++) {
        log.push(`${name}${i}`);
        await tick();
      }
      return name;
    };
    const results = await Promise.all([q.run(task('a', 3)), q.run(task('b', 2)), q.run(task('c', 1))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'c0']);
  });

  it('a failing task (sync or async) does not stop the ones behind it', async () => {
    const q = new SerialQueue();
    const a = q.run(async () => {
      throw new Error('a');
    });
    const b = q.run(() => {
      throw new Error('b');
    });
    const c = q.run(async () => 'c');
    await expect(a).rejects.toThrow('a');
    await expect(b).rejects.toThrow('b');
    await expect(c).resolves.toBe('c');
  });

  it('counts pending tasks and reports idle', async () => {
    const q = new SerialQueue();
    let release!: () => void;
    const blocker = new Promise<void>((r) => {
      release = r;
    });
    void q.run(() => blocker);
    void q.run(async () => undefined);
    expect(q.size).toBe(2);
    let idle = false;
    const done = q.idle().then(() => {
      idle = true;
    });
    await tick();
    expect(idle).toBe(false);
    release();
    await done;
    expect(q.size).toBe(0);
  });

  it('one queue per reader name, process-wide', () => {
    expect(readerQueue('R1')).toBe(readerQueue('R1'));
    expect(readerQueue('R1')).not.toBe(readerQueue('R2'));
  });
});
