import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { CopyButton } from "../../components/CopyButton.tsx";
import { DeleteButton } from "../../components/DeleteButton.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import {
  CHANNEL_TYPES,
  type ChannelType,
  channelBody,
  channelValues,
  configFields,
  type FormValues,
} from "./alerting-forms.ts";

type Channel = components["schemas"]["NotificationChannel"];

/** /alerting/channels/new and /alerting/channels/:id/edit. */
export function ChannelFormPage() {
  const { id } = useParams();
  const channel = useQuery({
    queryKey: ["channel", id],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/notifications/channels/{id}", { params: { path: { id: id! } } });
      return data!;
    },
    enabled: Boolean(id),
  });
  if (!id) return <ChannelForm />;
  return <QueryState query={channel}>{(data) => <ChannelForm existing={data} />}</QueryState>;
}

function ChannelForm({ existing }: { existing?: Channel }) {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [type, setType] = useState<ChannelType>(existing?.type ?? "webhook");
  /** A webhook created without a secret gets one, returned this once: shown before leaving the page. */
  const [generated, setGenerated] = useState<string | null>(null);
  const fields = configFields(type);
  const { errors, busy, run } = useSubmit(["name", "type", "enabled", ...fields.map((f) => f.name), "config"]);
  const initial: FormValues = existing ? channelValues(existing) : { enabled: "on" };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget)) as FormValues;
    const body = channelBody(type, values, Boolean(existing));
    void run(async () => {
      const { data: saved } = existing
        ? await api().api.PATCH("/api/v1/notifications/channels/{id}", {
            params: { path: { id: existing.id } },
            body: body as components["schemas"]["UpdateChannelRequest"],
          })
        : await api().api.POST("/api/v1/notifications/channels", {
            body: body as components["schemas"]["CreateChannelRequest"],
          });
      await queries.invalidateQueries({ queryKey: ["channels"] });
      queries.setQueryData(["channel", saved!.id], saved);
      const secret = (saved!.config as { secret?: string }).secret;
      if (!existing && secret && !values["config.secret"]?.trim()) setGenerated(secret);
      else navigate("/alerting/channels");
    });
  };

  if (generated)
    return (
      <section className="page narrow">
        <h1>Channel created</h1>
        <div className="card" role="status">
          <p>
            This is the channel's signing secret. It is shown this once: keep it where the receiver can check
            signatures.
          </p>
          <p>
            <code>{generated}</code> <CopyButton text={generated} label="Copy secret" />
          </p>
          <Link to="/alerting/channels">Done</Link>
        </div>
      </section>
    );

  return (
    <section className="page narrow">
      <h1>{existing ? `Edit ${existing.name}` : "New channel"}</h1>
      <form onSubmit={onSubmit} noValidate className="card form" key={type}>
        <FormAlert messages={errors.general} />
        <Field label="Type" error={errors.fields.type}>
          {(control) => (
            <select
              {...control}
              value={type}
              disabled={Boolean(existing)}
              onChange={(e) => setType(e.target.value as ChannelType)}
            >
              {CHANNEL_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Name" error={errors.fields.name}>
          {(control) => <input {...control} name="name" defaultValue={initial.name} />}
        </Field>
        {fields.map((field) => (
          <Field
            key={field.name}
            label={field.label}
            error={errors.fields[field.name] ?? errors.fields.config}
            hint={existing && field.kind !== "list" ? "Shown masked: leave it to keep it" : field.hint}
          >
            {(control) => (
              <input
                {...control}
                name={field.name}
                type={field.kind === "url" ? "url" : "text"}
                defaultValue={initial[field.name]}
              />
            )}
          </Field>
        ))}
        <Field label="Enabled" error={errors.fields.enabled}>
          {(control) => <input {...control} type="checkbox" name="enabled" defaultChecked={initial.enabled === "on"} />}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {existing ? "Save" : "Create channel"}
          </button>
          <Link to="/alerting/channels">Cancel</Link>
          {existing && (
            <DeleteButton
              name={existing.name}
              remove={() =>
                api().api.DELETE("/api/v1/notifications/channels/{id}", { params: { path: { id: existing.id } } })
              }
              onDeleted={async () => {
                await queries.invalidateQueries({ queryKey: ["channels"] });
                navigate("/alerting/channels");
              }}
            />
          )}
        </div>
      </form>
    </section>
  );
}
