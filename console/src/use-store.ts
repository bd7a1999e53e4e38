/** Re-renders a view when the store changes, at most once per animation frame (a burst of events is one render). */
import { useEffect, useState } from 'preact/hooks';
import type { EventStore } from './event-store';

export function useStore(store: EventStore): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = store.subscribe(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion(store.version);
      });
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [store]);
  return version;
}
