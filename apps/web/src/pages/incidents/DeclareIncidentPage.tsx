import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { Field, FormAlert } from "../../components/Field.tsx";
import { MonitorPicker } from "../../components/MonitorPicker.tsx";
import { INCIDENT_STATUSES, type IncidentStatus } from "./incident-view.ts";

/**
 * /incidents/new: an incident someone declares (a problem no check sees, or one to tell the public
 * about). With a monitor it shows on the status pages that list that monitor.
 */
export function DeclareIncidentPage() {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [monitorIds, setMonitorIds] = useState<string[]>([]);
  const { errors, busy, run } = useSubmit(["title", "status", "message", "monitor_id"]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = new FormData(event.currentTarget);
    const message = String(values.get("message") ?? "").trim();
    void run(async () => {
      const { data } = await api().api.POST("/api/v1/incidents", {
        body: {
          title: String(values.get("title") ?? "").trim(),
          status: values.get("status") as Exclude<IncidentStatus, "resolved">,
          ...(message ? { message } : {}),
          ...(monitorIds[0] ? { monitor_id: monitorIds[0] } : {}),
        },
      });
      await queries.invalidateQueries({ queryKey: ["incidents"] });
      queries.setQueryData(["incident", data!.id], data);
      navigate(`/incidents/${data!.id}`);
    });
  };
  return (
    <section className="page narrow">
      <h1>Declare an incident</h1>
      <form onSubmit={onSubmit} noValidate className="card form">
        <FormAlert messages={errors.general} />
        <Field label="Title" error={errors.fields.title}>
          {(control) => <input {...control} name="title" />}
        </Field>
        <Field label="Status" error={errors.fields.status}>
          {(control) => (
            <select {...control} name="status" defaultValue="investigating">
              {INCIDENT_STATUSES.filter((s) => s !== "resolved").map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Message" hint="The first update; optional" error={errors.fields.message}>
          {(control) => <textarea {...control} name="message" rows={3} />}
        </Field>
        <MonitorPicker
          legend="Monitor"
          hint="Optional: the status pages listing it show the incident"
          value={monitorIds}
          onChange={setMonitorIds}
          max={1}
          error={errors.fields.monitor_id}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Declare incident
          </button>
          <Link to="/incidents">Cancel</Link>
        </div>
      </form>
    </section>
  );
}
