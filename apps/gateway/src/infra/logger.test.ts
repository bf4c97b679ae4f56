import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LazyRequestLogger } from './logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level, base: { service: 'gw' } }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

describe('LazyRequestLogger', () => {
  it('logs what a pino child would, with the request binding, and makes no child for disabled levels', () => {
    const { logger, lines } = capture('warn');
    const made = () => (log as unknown as { real?: unknown }).real !== undefined;
    const log = new LazyRequestLogger(logger, { reqId: 'req_1' }, {});
    log.info({ req: 1 }, 'incoming request');
    log.debug('nothing');
    expect(made()).toBe(false);
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);
    log.error({ err: new Error('boom') }, 'data plane error');
    log.warn('careful %s', 'now');
    expect(made()).toBe(true);
    expect(lines).toMatchObject([
      { level: 50, service: 'gw', reqId: 'req_1', msg: 'data plane error', err: { message: 'boom' } },
      { level: 40, reqId: 'req_1', msg: 'careful now' },
    ]);
    expect(log.bindings()).toEqual(logger.child({ reqId: 'req_1' }).bindings());
    log.child({ sub: 1 }).warn('from a grandchild');
    expect(lines[2]).toMatchObject({ reqId: 'req_1', sub: 1, msg: 'from a grandchild' });
  });

  it('follows a level set on it', () => {
    const { logger, lines } = capture('warn');
    const log = new LazyRequestLogger(logger, { reqId: 'req_2' }, {});
    log.level = 'info';
    log.info('now visible');
    expect(lines).toMatchObject([{ level: 30, reqId: 'req_2', msg: 'now visible' }]);
    expect(logger.level).toBe('warn');
  });
});
