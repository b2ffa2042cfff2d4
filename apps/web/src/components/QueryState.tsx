import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

/**
 * The shared way a page shows a query: a loading line, the error (with the API's request id to quote),
 * or its content. Pages use it for every fetch so each looks and reads the same.
 */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending)
    return (
      <p className="muted" aria-busy="true">
        Loading…
      </p>
    );
  if (query.isError) {
    const requestId = (query.error as { requestId?: string }).requestId;
    return (
      <div role="alert" className="alert">
        <p>{query.error.message}</p>
        {requestId && <p className="muted">Request id: {requestId}</p>}
      </div>
    );
  }
  return children(query.data);
}
