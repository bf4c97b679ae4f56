import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type UsageEvent, usageEventsQueue } from '@conduit/contracts';
import type { Queue } from 'bullmq';

export interface UsageEmitterOptions {
  /** flush when this many events are waiting */
  maxBatch: number;
  /** …or after this long */
  flushEveryMs: number;
  /** events kept in memory while Redis is away; past that they go to disk */
  maxBuffered: number;
  /** where events wait for Redis when memory is full or at shutdown */
  spillDir: string;
  onError: (what: string, err: unknown) => void;
}

const ENQUEUE_TIMEOUT_MS = 2_000;

interface Batch {
  id: string;
  events: UsageEvent[];
}

/**
 * Sends usage events to the worker through BullMQ, batched. Nothing is dropped:
 * a batch that cannot be enqueued stays in memory (bounded), then spills to NDJSON
 * files that are replayed when Redis answers again. Each batch keeps its id across
 * retries, and BullMQ refuses a second job with the same id, so a retry never
 * duplicates a batch (and the worker's unique request id covers the rest).
 */
export class UsageEmitter {
  private pending: UsageEvent[] = [];
  private readonly retry: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private replayTimer: NodeJS.Timeout | undefined;
  private replaying = false;
  private closed = false;
  /** files may be waiting on disk */
  private spilled = true;
  /** events handed to BullMQ so far (for tests and metrics) */
  sent = 0;

  constructor(
    private readonly queue: Queue,
    private readonly opts: UsageEmitterOptions,
  ) {
    this.replayTimer = setInterval(() => void this.replaySpilled(), 2_000);
    this.replayTimer.unref();
    void this.replaySpilled();
  }

  emit(event: UsageEvent) {
    if (this.closed) {
      void this.spill([{ id: randomUUID(), events: [event] }]);
      return;
    }
    this.pending.push(event);
    if (this.pending.length > this.opts.maxBuffered) {
      // Redis has been away for a while (a flush is stuck): keep memory bounded.
      void this.spill([{ id: randomUUID(), events: this.pending.splice(0) }]);
      return;
    }
    if (this.pending.length >= this.opts.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.flushEveryMs);
      this.timer.unref();
    }
  }

  /** Enqueues everything waiting; resolves when done (or spilled). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.pending.length || this.retry.length ? this.flush() : undefined));
    this.flushing = this.doFlush().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async doFlush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length) {
      this.retry.push({ id: randomUUID(), events: this.pending.splice(0, this.opts.maxBatch) });
    }
    while (this.retry.length) {
      const batch = this.retry[0]!;
      try {
        await this.enqueue(batch);
        this.retry.shift();
        this.sent += batch.events.length;
        if (this.spilled) void this.replaySpilled(); // Redis is back: bring the spilled events in too
      } catch (err) {
        this.opts.onError('usage enqueue', err);
        const buffered = this.retry.reduce((n, b) => n + b.events.length, 0);
        if (buffered > this.opts.maxBuffered || this.closed) await this.spill(this.retry.splice(0));
        else this.scheduleRetry();
        return;
      }
    }
  }

  /**
   * BullMQ waits for a connection rather than failing: bound the wait. A batch that
   * times out but lands later is not duplicated on retry: same job id.
   */
  private async enqueue(batch: Batch) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.add('batch', { events: batch.events }, { jobId: batch.id }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not take the batch within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private scheduleRetry() {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), 1_000);
    this.timer.unref();
  }

  private async spill(batches: Batch[]) {
    if (!batches.length) return;
    try {
      await mkdir(this.opts.spillDir, { recursive: true });
      const file = path.join(this.opts.spillDir, `usage-${process.pid}-${Date.now()}-${randomUUID().slice(0, 8)}.ndjson`);
      await appendFile(file, batches.map((b) => JSON.stringify(b)).join('\n') + '\n');
      this.spilled = true;
    } catch (err) {
      // disk unusable too: keep them in memory rather than lose them
      this.retry.push(...batches);
      this.opts.onError('usage spill', err);
    }
  }

  /** Replays spilled files once Redis answers again. */
  async replaySpilled() {
    if (this.closed || this.replaying) return;
    this.replaying = true;
    try {
      await this.replayFiles();
    } finally {
      this.replaying = false;
    }
  }

  private async replayFiles() {
    let files: string[];
    try {
      files = (await readdir(this.opts.spillDir)).filter((f) => f.endsWith('.ndjson'));
    } catch {
      this.spilled = false;
      return;
    }
    if (!files.length) this.spilled = false;
    for (const f of files) {
      const file = path.join(this.opts.spillDir, f);
      const claimed = file + '.replaying';
      try {
        await rename(file, claimed); // another replica may race for it
      } catch {
        continue;
      }
      try {
        const batches = (await readFile(claimed, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Batch);
        for (const b of batches) {
          usageEventsQueue.parse({ events: b.events });
          await this.enqueue(b);
          this.sent += b.events.length;
        }
        await unlink(claimed);
      } catch (err) {
        await rename(claimed, file).catch(() => undefined);
        this.opts.onError('usage replay', err);
        return;
      }
    }
  }

  /** Flushes what is left; whatever cannot reach Redis is written to disk. */
  async close() {
    clearInterval(this.replayTimer);
    await this.flush();
    this.closed = true;
    if (this.retry.length || this.pending.length) {
      const rest = this.retry.splice(0);
      if (this.pending.length) rest.push({ id: randomUUID(), events: this.pending.splice(0) });
      await this.spill(rest);
    }
  }
}
