/**
 * What adapters need of an AbortSignal. A real `AbortSignal` is one; so is
 * `LightAbortSignal`, which costs next to nothing to make: in Node 20 creating an
 * AbortController's signal and listening to it costs several microseconds, which a
 * gateway would pay on every request.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * A plain-object abort signal: `aborted`, `reason`, and 'abort' listeners that run
 * once, in order, when `abort()` is first called (a listener removed meanwhile does
 * not run; one added after the abort never runs, as with EventTarget). Only for
 * code that uses nothing else of AbortSignal (the adapters' CallOptions.signal).
 */
export class LightAbortSignal implements AbortSignalLike {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] | undefined;

  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.aborted) return;
    const list = (this.listeners ??= []);
    if (!list.includes(listener)) list.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    const list = this.listeners;
    if (type !== 'abort' || list === undefined) return;
    const i = list.indexOf(listener);
    if (i !== -1) list.splice(i, 1);
  }

  /** Aborts (once): sets `aborted` and `reason`, then runs the listeners. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const list = this.listeners;
    if (list === undefined) return;
    const snapshot = list.slice();
    for (const listener of snapshot) {
      if (!list.includes(listener)) continue;
      const i = list.indexOf(listener);
      list.splice(i, 1);
      try {
        listener();
      } catch (err) {
        // as EventTarget does: a throwing listener does not stop the others; its error is reported
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

/** AbortController's shape around a LightAbortSignal. */
export class LightAbortController {
  readonly signal = new LightAbortSignal();
  abort(reason?: unknown): void {
    this.signal.abort(reason);
  }
}
