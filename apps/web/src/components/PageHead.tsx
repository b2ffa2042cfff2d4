import type { ReactNode } from "react";
import { Link } from "react-router";

/** A page's title, with the link that makes a new one of what it lists, when there is one. */
export function PageHead({ title, create }: { title: ReactNode; create?: { to: string; label: string } }) {
  return (
    <div className="page-head">
      <h1>{title}</h1>
      {create && (
        <Link to={create.to} className="button">
          {create.label}
        </Link>
      )}
    </div>
  );
}
