import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { DeleteButton } from "../../components/DeleteButton.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { MonitorPicker } from "../../components/MonitorPicker.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { newWindowValues, windowBody, windowValues } from "./window-form.ts";

type Window = components["schemas"]["MaintenanceWindow"];
const FIELDS = ["name", "monitor_ids", "starts_at", "ends_at", "repeat", "timezone"];

/** /maintenance/new and /maintenance/:id/edit. */
export function MaintenanceFormPage() {
  const { id } = useParams();
  const stored = useQuery({
    queryKey: ["maintenance-window", id],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/maintenance-windows/{id}", { params: { path: { id: id! } } });
      return data!;
    },
    enabled: Boolean(id),
  });
  if (!id) return <WindowForm />;
  return <QueryState query={stored}>{(data) => <WindowForm existing={data} />}</QueryState>;
}

function WindowForm({ existing }: { existing?: Window }) {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [monitorIds, setMonitorIds] = useState<string[]>(existing?.monitor_ids ?? []);
  const [initial] = useState(() => (existing ? windowValues(existing) : newWindowValues()));
  const { errors, busy, run } = useSubmit(FIELDS);
  const done = async () => {
    await queries.invalidateQueries({ queryKey: ["maintenance"] });
    navigate("/maintenance");
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const body = windowBody(values, monitorIds) as components["schemas"]["CreateMaintenanceWindowRequest"];
    void run(async () => {
      if (existing)
        await api().api.PATCH("/api/v1/maintenance-windows/{id}", { params: { path: { id: existing.id } }, body });
      else await api().api.POST("/api/v1/maintenance-windows", { body });
      await done();
    });
  };
  return (
    <section className="page narrow">
      <h1>{existing ? `Edit ${existing.name}` : "New maintenance window"}</h1>
      <form onSubmit={onSubmit} noValidate className="card form">
        <FormAlert messages={errors.general} />
        <Field label="Name" error={errors.fields.name}>
          {(control) => <input {...control} name="name" defaultValue={initial.name} />}
        </Field>
        <MonitorPicker
          legend="Monitors"
          value={monitorIds}
          onChange={setMonitorIds}
          error={errors.fields.monitor_ids}
        />
        <Field label="Starts" hint="In your browser's time zone" error={errors.fields.starts_at}>
          {(control) => <input {...control} type="datetime-local" name="starts_at" defaultValue={initial.starts_at} />}
        </Field>
        <Field label="Ends" error={errors.fields.ends_at}>
          {(control) => <input {...control} type="datetime-local" name="ends_at" defaultValue={initial.ends_at} />}
        </Field>
        <Field label="Repeats" error={errors.fields.repeat}>
          {(control) => (
            <select {...control} name="repeat" defaultValue={initial.repeat ?? ""}>
              <option value="">Never</option>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
            </select>
          )}
        </Field>
        <Field
          label="Time zone"
          hint="Where a repeating window keeps its wall-clock time (IANA name)"
          error={errors.fields.timezone}
        >
          {(control) => <input {...control} name="timezone" defaultValue={initial.timezone} />}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {existing ? "Save" : "Create window"}
          </button>
          <Link to="/maintenance">Cancel</Link>
          {existing && (
            <DeleteButton
              name={existing.name}
              remove={() =>
                api().api.DELETE("/api/v1/maintenance-windows/{id}", { params: { path: { id: existing.id } } })
              }
              onDeleted={done}
            />
          )}
        </div>
      </form>
    </section>
  );
}
