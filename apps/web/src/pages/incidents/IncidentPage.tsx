import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { live } from "../../api/live.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { ActionError } from "../../components/ActionError.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { dateTime } from "../../components/format.ts";
import { QueryState } from "../../components/QueryState.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { INCIDENT_STATUSES, type IncidentStatus, timeline } from "./incident-view.ts";

type Incident = components["schemas"]["Incident"];

/** /incidents/:id: the incident, live, with its timeline, acknowledge, resolve and a form to post an update. */
export function IncidentPage() {
  const { id } = useParams() as { id: string };
  const incident = useQuery({
    queryKey: ["incident", id],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/incidents/{id}", { params: { path: { id } } });
      return data!;
    },
    refetchInterval: live(),
  });
  return <QueryState query={incident}>{(data) => <IncidentDetail incident={data} />}</QueryState>;
}

function IncidentDetail({ incident }: { incident: Incident }) {
  const { id } = incident;
  const queries = useQueryClient();
  const saved = async (updated: Incident) => {
    queries.setQueryData(["incident", id], updated);
    await queries.invalidateQueries({ queryKey: ["incidents"] });
  };
  const act = useMutation({
    mutationFn: async (action: "acknowledge" | "resolve") => {
      const path = action === "acknowledge" ? "/api/v1/incidents/{id}/acknowledge" : "/api/v1/incidents/{id}/resolve";
      const { data } = await api().api.POST(path, { params: { path: { id } } });
      return data!;
    },
    onSuccess: saved,
  });
  const resolved = incident.status === "resolved";
  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/incidents">Incidents</Link>
      </p>
      <div className="page-head">
        <h1>
          {incident.title} <StatusBadge status={incident.status} />
        </h1>
        <div className="actions">
          {!incident.acknowledged_at && !resolved && (
            <button type="button" className="ghost" disabled={act.isPending} onClick={() => act.mutate("acknowledge")}>
              Acknowledge
            </button>
          )}
          {!resolved && (
            <button type="button" disabled={act.isPending} onClick={() => act.mutate("resolve")}>
              Resolve
            </button>
          )}
        </div>
      </div>
      <ActionError error={act.error} />
      <dl className="facts">
        <div>
          <dt>Monitor</dt>
          <dd>{incident.monitor_id ? <MonitorLink id={incident.monitor_id} /> : "None"}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{dateTime(incident.started_at)}</dd>
        </div>
        <div>
          <dt>Acknowledged</dt>
          <dd>{incident.acknowledged_at ? dateTime(incident.acknowledged_at) : "Not yet"}</dd>
        </div>
        <div>
          <dt>Resolved</dt>
          <dd>{incident.resolved_at ? dateTime(incident.resolved_at) : "Not yet"}</dd>
        </div>
        <div>
          <dt>Notifications</dt>
          <dd>
            <Link to={`/alerting/deliveries?incident=${id}`}>Who was told</Link>
          </dd>
        </div>
      </dl>

      <h2>Timeline</h2>
      <ol className="list timeline" aria-label="Timeline">
        {timeline(incident).map((entry) => (
          <li key={entry.key}>
            <time dateTime={entry.at} className="muted">
              {dateTime(entry.at)}
            </time>{" "}
            <strong>{entry.title}</strong> {entry.status && <StatusBadge status={entry.status} />}
            {entry.message && <p>{entry.message}</p>}
          </li>
        ))}
      </ol>

      {!resolved && <PostUpdate incident={incident} onSaved={saved} />}
    </section>
  );
}

/** The incident's monitor by name (the monitor pages' cached query), linking to its page. */
function MonitorLink({ id }: { id: string }) {
  const monitor = useQuery({ queryKey: ["monitor", id], queryFn: () => api().monitors.get(id) });
  return <Link to={`/monitors/${id}`}>{monitor.data?.name ?? "Open the monitor"}</Link>;
}

/** Posts an update (a message, optionally moving the status): the timeline shows it at once. */
function PostUpdate({ incident, onSaved }: { incident: Incident; onSaved: (updated: Incident) => Promise<void> }) {
  const { errors, busy, run } = useSubmit(["status", "message"]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    void run(async () => {
      const { data } = await api().api.POST("/api/v1/incidents/{id}/updates", {
        params: { path: { id: incident.id } },
        body: { status: values.get("status") as IncidentStatus, message: String(values.get("message") ?? "") },
      });
      await onSaved(data!);
      form.reset();
    });
  };
  return (
    <>
      <h2>Post an update</h2>
      <form onSubmit={onSubmit} noValidate className="card form narrow">
        <FormAlert messages={errors.general} />
        <Field label="Status" error={errors.fields.status}>
          {(control) => (
            <select {...control} name="status" defaultValue={incident.status}>
              {INCIDENT_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Message" error={errors.fields.message}>
          {(control) => <textarea {...control} name="message" rows={3} />}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Post update
          </button>
        </div>
      </form>
    </>
  );
}
