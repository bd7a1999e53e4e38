/** A failure the user should see, with what to do about it (./api-error.ts explains it). */
import { explain } from '../api-error';

export function ErrorBanner({ error, testId, context, onRetry }: { error: unknown; testId: string; context?: string; onRetry?: () => void }) {
  const { title, hint } = explain(error);
  return (
    <div class="banner" role="alert" data-testid={testId}>
      <b>{title}</b> <span>{hint}</span>
      {context && <span class="muted">({context})</span>}
      {onRetry && <button onClick={onRetry}>retry</button>}
    </div>
  );
}
