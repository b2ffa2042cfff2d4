/** The end of a paged list: how many are shown, and a button for the next page while there is one. */
export function LoadMore({
  count,
  hasMore,
  onMore,
  noun,
  one,
}: {
  count: number;
  hasMore: boolean;
  onMore: () => void;
  /** What the list holds ("channels"), and `one` of them when it differs ("channel"). */
  noun: string;
  one?: string;
}) {
  return (
    <p className="actions muted" aria-live="polite">
      {count} {count === 1 && one ? one : noun}
      {hasMore && (
        <button type="button" className="ghost small" onClick={onMore}>
          Load more
        </button>
      )}
    </p>
  );
}
