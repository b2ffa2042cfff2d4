import { useChannelChoices } from "./queries.ts";

interface Props {
  legend: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}

/** Checkboxes for the organization's channels: where a rule or an escalation step sends. */
export function ChannelChoices({ legend, value, onChange, error }: Props) {
  const channels = useChannelChoices();
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((v) => v !== id));
  return (
    <fieldset className={error ? "field choices invalid" : "field choices"}>
      <legend>{legend}</legend>
      {channels.data?.length === 0 && <small className="muted">No channels yet.</small>}
      {channels.data?.map((channel) => (
        <label key={channel.id} className="check">
          <input
            type="checkbox"
            checked={value.includes(channel.id)}
            onChange={(e) => toggle(channel.id, e.target.checked)}
          />{" "}
          {channel.name} <span className="muted">({channel.type})</span>
        </label>
      ))}
      {error && <small className="error-text">{error}</small>}
    </fieldset>
  );
}
