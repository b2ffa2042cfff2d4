import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../api/client.ts";

/** How many matches the search shows: a picker names a few monitors, it is not the monitors list. */
const MATCHES = 8;

interface Props {
  legend: string;
  value: string[];
  onChange: (ids: string[]) => void;
  /** The server's message for the field. */
  error?: string | undefined;
  hint?: string;
  /** At most this many (an incident has one monitor): the search hides once they are chosen. */
  max?: number;
}

/**
 * Chooses monitors by searching their names (the API's `q`), so it works the same with 10 monitors or
 * 10,000: the chosen ones are listed with a Remove button each, the matches with an Add button.
 */
export function MonitorPicker({ legend, value, onChange, error, hint, max = Number.POSITIVE_INFINITY }: Props) {
  const id = useId();
  const [search, setSearch] = useState("");
  const q = search.trim();
  const matches = useQuery({
    queryKey: ["monitors", "picker", q],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/monitors", {
        params: { query: { limit: MATCHES, ...(q ? { q } : {}) } },
      });
      return data!.data;
    },
  });
  const choices = (matches.data ?? []).filter((monitor) => !value.includes(monitor.id));
  return (
    <fieldset
      className={error ? "field picker invalid" : "field picker"}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {hint && <small className="muted">{hint}</small>}
      {value.length > 0 && (
        <ul className="list" aria-label={`${legend}: chosen`}>
          {value.map((monitorId) => (
            <Chosen key={monitorId} id={monitorId} onRemove={() => onChange(value.filter((v) => v !== monitorId))} />
          ))}
        </ul>
      )}
      {value.length < max && (
        <>
          <label htmlFor={`${id}-search`}>Find a monitor</label>
          <input
            id={`${id}-search`}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Name"
          />
          <ul className="list" aria-label={`${legend}: matches`}>
            {choices.map((monitor) => (
              <li key={monitor.id} className="actions">
                <span>{monitor.name}</span>
                <button
                  type="button"
                  className="ghost small"
                  onClick={() => onChange([...value, monitor.id])}
                  aria-label={`Add ${monitor.name}`}
                >
                  Add
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <small id={`${id}-error`} className="error-text">
          {error}
        </small>
      )}
    </fieldset>
  );
}

/** A chosen monitor by name (read once, cached with the monitor pages' own query) and its Remove button. */
function Chosen({ id, onRemove }: { id: string; onRemove: () => void }) {
  const monitor = useQuery({ queryKey: ["monitor", id], queryFn: () => api().monitors.get(id) });
  const name = monitor.data?.name ?? id;
  return (
    <li className="actions">
      <span>{name}</span>
      <button type="button" className="ghost small" onClick={onRemove} aria-label={`Remove ${name}`}>
        Remove
      </button>
    </li>
  );
}
