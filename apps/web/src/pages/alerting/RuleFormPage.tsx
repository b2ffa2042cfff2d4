import { useQuery, useQueryClient } from "@tanstack/react-query";
import { NOTIFICATION_EVENTS } from "@upfleet/sdk";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { DeleteButton } from "../../components/DeleteButton.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { MonitorPicker } from "../../components/MonitorPicker.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { type FormValues, type RuleEvent, ruleBody } from "./alerting-forms.ts";
import { ChannelChoices } from "./ChannelChoices.tsx";
import { usePolicyChoices } from "./queries.ts";

type Rule = components["schemas"]["NotificationRule"];
const FIELDS = ["name", "events", "monitor_ids", "tags", "channel_ids", "escalation_policy_id"];

/** /alerting/rules/new and /alerting/rules/:id/edit. */
export function RuleFormPage() {
  const { id } = useParams();
  const rule = useQuery({
    queryKey: ["rule", id],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/notifications/rules/{id}", { params: { path: { id: id! } } });
      return data!;
    },
    enabled: Boolean(id),
  });
  if (!id) return <RuleForm />;
  return <QueryState query={rule}>{(data) => <RuleForm existing={data} />}</QueryState>;
}

function RuleForm({ existing }: { existing?: Rule }) {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const policies = usePolicyChoices();
  const [events, setEvents] = useState<RuleEvent[]>(existing?.events ?? ["monitor.down", "monitor.up"]);
  const [monitorIds, setMonitorIds] = useState<string[]>(existing?.monitor_ids ?? []);
  const [channelIds, setChannelIds] = useState<string[]>(existing?.channel_ids ?? []);
  // Controlled: the policies load after the form, and an uncontrolled select would not pick its value then.
  const [policyId, setPolicyId] = useState(existing?.escalation_policy_id ?? "");
  const { errors, busy, run } = useSubmit(FIELDS);
  const done = async () => {
    await queries.invalidateQueries({ queryKey: ["rules"] });
    navigate("/alerting/rules");
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = ruleBody(Object.fromEntries(new FormData(event.currentTarget)) as FormValues, {
      events,
      monitorIds,
      channelIds,
    }) as components["schemas"]["CreateRuleRequest"];
    void run(async () => {
      if (existing)
        await api().api.PATCH("/api/v1/notifications/rules/{id}", { params: { path: { id: existing.id } }, body });
      else await api().api.POST("/api/v1/notifications/rules", { body });
      await done();
    });
  };

  return (
    <section className="page narrow">
      <h1>{existing ? `Edit ${existing.name}` : "New rule"}</h1>
      <form onSubmit={onSubmit} noValidate className="card form">
        <FormAlert messages={errors.general} />
        <Field label="Name" error={errors.fields.name}>
          {(control) => <input {...control} name="name" defaultValue={existing?.name} />}
        </Field>
        <fieldset className={errors.fields.events ? "field choices invalid" : "field choices"}>
          <legend>Events</legend>
          <small className="muted">None ticked: every event</small>
          {NOTIFICATION_EVENTS.map((name) => (
            <label key={name} className="check">
              <input
                type="checkbox"
                checked={events.includes(name)}
                onChange={(e) => setEvents(e.target.checked ? [...events, name] : events.filter((v) => v !== name))}
              />{" "}
              {name}
            </label>
          ))}
          {errors.fields.events && <small className="error-text">{errors.fields.events}</small>}
        </fieldset>
        <MonitorPicker
          legend="Monitors"
          hint="None chosen: every monitor (or those with the tags below)"
          value={monitorIds}
          onChange={setMonitorIds}
          error={errors.fields.monitor_ids}
        />
        <Field label="Tags" hint="Comma-separated; monitors with any of them" error={errors.fields.tags}>
          {(control) => <input {...control} name="tags" defaultValue={existing?.tags?.join(", ")} />}
        </Field>
        <ChannelChoices
          legend="Send to"
          value={channelIds}
          onChange={setChannelIds}
          error={errors.fields.channel_ids}
        />
        <Field label="Escalation policy" error={errors.fields.escalation_policy_id}>
          {(control) => (
            <select
              {...control}
              name="escalation_policy_id"
              value={policyId}
              onChange={(e) => setPolicyId(e.target.value)}
            >
              <option value="">None</option>
              {policies.data?.map((policy) => (
                <option key={policy.id} value={policy.id}>
                  {policy.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {existing ? "Save" : "Create rule"}
          </button>
          <Link to="/alerting/rules">Cancel</Link>
          {existing && (
            <DeleteButton
              name={existing.name}
              remove={() =>
                api().api.DELETE("/api/v1/notifications/rules/{id}", { params: { path: { id: existing.id } } })
              }
              onDeleted={done}
            />
          )}
        </div>
      </form>
    </section>
  );
}
