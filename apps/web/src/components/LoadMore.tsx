/** The end of a paged list: how many are shown, and a button for the next page while there is one. */
export function LoadMore({
  count,
  hasMore,
  onMore,
  noun,
}: {
  count: number;
  hasMore: boolean;
  onMore: () => void;
  noun: string;
}) {
  return (
    <p className="actions muted" aria-live="polite">
      {count} {noun}
      {hasMore && (
        <button type="button" className="ghost small" onClick={onMore}>
          Load more
        </button>
      )}
    </p>
  );
}
