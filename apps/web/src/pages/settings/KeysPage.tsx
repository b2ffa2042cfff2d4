import { useMutation, useQueryClient } from "@tanstack/react-query";
import { API_KEY_SCOPES } from "@upfleet/sdk";
import { type FormEvent, useState } from "react";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { CopyButton } from "../../components/CopyButton.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { ago, dateTime } from "../../components/format.ts";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { ScrollX } from "../../components/ScrollX.tsx";
import { SettingsHeader } from "./SettingsHeader.tsx";
import { EXPIRY_DAYS, keyRequest, scopesLabel } from "./settings-forms.ts";

type ApiKey = components["schemas"]["ApiKey"];
type Created = components["schemas"]["CreatedApiKey"];

/** /settings/keys: the API keys (owners and admins see the organization's), create (raw key shown once), revoke. */
export function KeysPage() {
  const { query, rows, more, hasMore } = usePagedList(["keys"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/keys", { params: { query: { cursor } } });
    return data!;
  });
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <section className="page">
      <SettingsHeader />
      <h2>API keys</h2>
      {created && <NewKey created={created} onDone={() => setCreated(null)} />}
      <QueryState query={query}>
        {() => (
          <ScrollX label="API keys, scrolling sideways">
            <table aria-label="API keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Revoke</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={6} className="muted">
                      No API keys yet.
                    </td>
                  </tr>
                )}
                {rows.map((key) => (
                  <KeyRow key={key.id} apiKey={key} />
                ))}
              </tbody>
            </table>
          </ScrollX>
        )}
      </QueryState>
      <LoadMore count={rows.length} hasMore={hasMore} onMore={more} noun="keys" one="key" />
      <CreateKey onCreated={setCreated} />
    </section>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api().api.DELETE("/api/v1/keys/{id}", { params: { path: { id: apiKey.id } } }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["keys"] }),
  });
  return (
    <tr>
      <td>{apiKey.name}</td>
      <td>
        <code>{apiKey.prefix}…</code>
      </td>
      <td className="clip" title={apiKey.scopes.join(", ")}>
        {scopesLabel(apiKey.scopes)}
      </td>
      <td>{apiKey.last_used_at ? ago(apiKey.last_used_at) : "never"}</td>
      <td>{dateTime(apiKey.expires_at)}</td>
      <td>
        <button
          type="button"
          className="danger small"
          disabled={revoke.isPending}
          aria-label={`Revoke ${apiKey.name}`}
          onClick={() => confirm(`Revoke ${apiKey.name}? Anything using it stops working.`) && revoke.mutate()}
        >
          Revoke
        </button>
        {revoke.isError && (
          <span role="alert" className="error-text">
            {revoke.error.message}
          </span>
        )}
      </td>
    </tr>
  );
}

/** The raw key, in this response only: shown with a copy button until dismissed. */
function NewKey({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <div className="card" role="status">
      <p>
        <strong>{created.key.name}</strong>: copy the key now, it is not shown again.
      </p>
      <p className="actions">
        <code className="snippet">{created.raw_key}</code>
        <CopyButton text={created.raw_key} label="Copy key" />
        <button type="button" className="ghost small" onClick={onDone}>
          Done
        </button>
      </p>
    </div>
  );
}

function CreateKey({ onCreated }: { onCreated: (created: Created) => void }) {
  const queries = useQueryClient();
  const { errors, busy, run } = useSubmit(["name", "scopes", "expires_at"]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    void run(async () => {
      const { data } = await api().api.POST("/api/v1/keys", { body: keyRequest(new FormData(form)) });
      onCreated(data!);
      form.reset();
      await queries.invalidateQueries({ queryKey: ["keys"] });
    });
  };
  return (
    <>
      <h2>Create a key</h2>
      <form onSubmit={onSubmit} noValidate className="card form narrow" aria-label="Create a key">
        <FormAlert messages={errors.general} />
        <Field label="Name" error={errors.fields.name} hint="What uses it: deploy script, CI, Terraform…">
          {(control) => <input {...control} name="name" />}
        </Field>
        <fieldset className={errors.fields.scopes ? "field invalid" : "field"}>
          <legend>Scopes (none ticked: every scope you have)</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="check">
              <input type="checkbox" name="scopes" value={scope} /> {scope}
            </label>
          ))}
          {errors.fields.scopes && <small className="error-text">{errors.fields.scopes}</small>}
        </fieldset>
        <Field label="Expires in" error={errors.fields.expires_at}>
          {(control) => (
            <select {...control} name="expires_in_days" defaultValue="365">
              {EXPIRY_DAYS.map((days) => (
                <option key={days} value={days}>
                  {days} days
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Create key
          </button>
        </div>
      </form>
    </>
  );
}
