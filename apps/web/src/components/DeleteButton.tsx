import { useMutation } from "@tanstack/react-query";

interface Props {
  /** What is deleted, for the confirmation and the button's accessible name. */
  name: string;
  remove: () => Promise<unknown>;
  /** After the deletion: refresh lists, leave the page. */
  onDeleted: () => void | Promise<void>;
}

/** Deletes after a confirmation; the API's refusal (a channel still in use is a 409) shows beside it. */
export function DeleteButton({ name, remove, onDeleted }: Props) {
  const mutation = useMutation({ mutationFn: remove, onSuccess: onDeleted });
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={mutation.isPending}
        onClick={() => confirm(`Delete ${name}?`) && mutation.mutate()}
        aria-label={`Delete ${name}`}
      >
        Delete
      </button>
      {mutation.isError && (
        <span role="alert" className="error-text">
          {mutation.error.message}
        </span>
      )}
    </>
  );
}
