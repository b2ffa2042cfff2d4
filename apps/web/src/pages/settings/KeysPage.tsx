import { useMutation, useQueryClient } from "@tanstack/react-query";
import { API_KEY_SCOPES } from "@upfleet/sdk";
import { type FormEvent, useState } from "react";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { CopyButton } from "../../components/CopyButton.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { ago, dateTime } from "../../components/format.ts";
import { ListPage } from "../../components/ListPage.tsx";
import type { TableColumn } from "../../components/Table.tsx";
import { SettingsNav } from "./SettingsNav.tsx";
import { EXPIRY_DAYS, keyRequest, scopesLabel } from "./settings-forms.ts";

type ApiKey = components["schemas"]["ApiKey"];
type Created = components["schemas"]["CreatedApiKey"];

/** /settings/keys: the API keys (owners and admins see the organization's), create (raw key shown once), revoke. */
export function KeysPage() {
  const list = usePagedList(["keys"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/keys", { params: { query: { cursor } } });
    return data!;
  });
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <ListPage
      title="Settings"
      nav={<SettingsNav />}
      heading="API keys"
      above={created && <NewKey created={created} onDone={() => setCreated(null)} />}
      list={list}
      columns={COLUMNS}
      empty="No API keys yet."
      noun="keys"
      one="key"
    >
      <CreateKey onCreated={setCreated} />
    </ListPage>
  );
}

const COLUMNS: TableColumn<ApiKey>[] = [
  { header: "Name", cell: (key) => key.name },
  { header: "Prefix", cell: (key) => <code>{key.prefix}…</code> },
  {
    header: "Scopes",
    cell: (key) => (
      <span className="clip" title={key.scopes.join(", ")}>
        {scopesLabel(key.scopes)}
      </span>
    ),
  },
  { header: "Last used", cell: (key) => (key.last_used_at ? ago(key.last_used_at) : "never") },
  { header: "Expires", cell: (key) => dateTime(key.expires_at) },
  { header: "Revoke", cell: (key) => <RevokeKey apiKey={key} /> },
];

function RevokeKey({ apiKey }: { apiKey: ApiKey }) {
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api().api.DELETE("/api/v1/keys/{id}", { params: { path: { id: apiKey.id } } }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["keys"] }),
  });
  return (
    <>
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
    </>
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
