import 'server-only';
import { AdminApiContractError, AdminApiHttpError, GatewayUnreachableError } from '@/lib/admin-api/errors';

/** What a form's server action hands back to the form. */
export type ActionResult<T = undefined> =
  | { status: 'idle' }
  | { status: 'ok'; message?: string; data?: T }
  | { status: 'error'; message: string; requestId?: string };

/** Turns an admin API failure into a sentence that says what happened and what to do. */
export function actionError(error: unknown): { status: 'error'; message: string; requestId?: string } {
  if (error instanceof GatewayUnreachableError) {
    return { status: 'error', message: `The gateway could not be reached (${error.message}). Try again in a moment; if it persists, check that the gateway is running.` };
  }
  if (error instanceof AdminApiHttpError) {
    const hint =
      error.status === 403
        ? ' Your role does not allow this; ask a tenant admin.'
        : error.status === 404
          ? ' It may have been removed meanwhile; reload the page.'
          : error.status === 409
            ? ' Reload the page to see the current state.'
            : error.status >= 500
              ? ' Try again; if it keeps failing, check the gateway logs with the request id.'
              : '';
    return { status: 'error', message: `${error.message}${hint}`, requestId: error.requestId };
  }
  if (error instanceof AdminApiContractError) {
    return { status: 'error', message: `The gateway answered in an unexpected shape: ${error.message}` };
  }
  throw error;
}
