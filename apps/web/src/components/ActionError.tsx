/** Why the last action on the page (pause, resolve…) failed, announced as it appears; nothing while it has not. */
export function ActionError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <div role="alert" className="alert">
      {error.message}
    </div>
  );
}
