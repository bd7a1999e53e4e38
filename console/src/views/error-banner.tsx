/**
 * A failure the user should see, with what to do about it (../api-error.ts explains it). A refusal
 * 401 ends the session instead (the token was revoked or replaced). While the header already says
 * the gateway is unreachable, a view's own "unreachable" says only that it is not loaded, and why
 * is read once, above.
 */
import { useContext, useEffect } from 'preact/hooks';
import { ApiError, explain, UNREACHABLE } from '../api-error';
import { SessionContext } from '../session';

export function ErrorBanner({ error, testId, context, onRetry }: { error: unknown; testId: string; context?: string; onRetry?: () => void }) {
  const session = useContext(SessionContext);
  const unauthorized = error instanceof ApiError && error.status === 401;
  useEffect(() => {
    if (unauthorized) session.unauthorized(error);
  }, [error]);
  if (unauthorized) return null;
  const saidAbove = error instanceof ApiError && error.status === UNREACHABLE && session.gatewayUnreachable;
  const { title, hint } = saidAbove ? { title: 'Not loaded', hint: 'the gateway is unreachable (see above).' } : explain(error);
  return (
    <div class="banner" role="alert" data-testid={testId}>
      <b>{title}</b> <span>{hint}</span>
      {context && <span class="muted">({context})</span>}
      {onRetry && <button onClick={onRetry}>retry</button>}
    </div>
  );
}
