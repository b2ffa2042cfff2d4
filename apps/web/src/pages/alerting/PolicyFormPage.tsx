import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { DeleteButton } from "../../components/DeleteButton.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { type StepDraft, stepsBody } from "./alerting-forms.ts";
import { ChannelChoices } from "./ChannelChoices.tsx";

type Policy = components["schemas"]["EscalationPolicy"];

/** /alerting/policies/new and /alerting/policies/:id/edit. */
export function PolicyFormPage() {
  const { id } = useParams();
  const policy = useQuery({
    queryKey: ["policy", id],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/escalation-policies/{id}", { params: { path: { id: id! } } });
      return data!;
    },
    enabled: Boolean(id),
  });
  if (!id) return <PolicyForm />;
  return <QueryState query={policy}>{(data) => <PolicyForm existing={data} />}</QueryState>;
}

function PolicyForm({ existing }: { existing?: Policy }) {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [steps, setSteps] = useState<StepDraft[]>(
    existing?.steps.map((s) => ({ delay: String(s.delay_minutes), channelIds: s.channel_ids })) ?? [
      { delay: "0", channelIds: [] },
    ],
  );
  const { errors, busy, run } = useSubmit(["name", ...steps.map((_, i) => `steps.${i}`), "steps"]);
  const setStep = (index: number, step: StepDraft) => setSteps(steps.map((s, i) => (i === index ? step : s)));
  const done = async () => {
    await queries.invalidateQueries({ queryKey: ["policies"] });
    navigate("/alerting/policies");
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = { name: String(new FormData(event.currentTarget).get("name") ?? "").trim(), steps: stepsBody(steps) };
    void run(async () => {
      if (existing)
        await api().api.PATCH("/api/v1/escalation-policies/{id}", { params: { path: { id: existing.id } }, body });
      else await api().api.POST("/api/v1/escalation-policies", { body });
      await done();
    });
  };
  return (
    <section className="page narrow">
      <h1>{existing ? `Edit ${existing.name}` : "New escalation policy"}</h1>
      <form onSubmit={onSubmit} noValidate className="card form">
        <FormAlert messages={errors.general} />
        <Field label="Name" error={errors.fields.name}>
          {(control) => <input {...control} name="name" defaultValue={existing?.name} />}
        </Field>
        <p className="muted">
          Step 1 fires at once; each later step fires if the incident is still unacknowledged its delay after it opened.
        </p>
        {steps.map((step, index) => (
          <fieldset key={index} className="card step">
            <legend>Step {index + 1}</legend>
            <Field label={`Step ${index + 1}: delay (minutes)`} error={errors.fields[`steps.${index}`]}>
              {(control) => (
                <input
                  {...control}
                  inputMode="numeric"
                  value={step.delay}
                  onChange={(e) => setStep(index, { ...step, delay: e.target.value })}
                />
              )}
            </Field>
            <ChannelChoices
              legend={`Step ${index + 1}: send to`}
              value={step.channelIds}
              onChange={(channelIds) => setStep(index, { ...step, channelIds })}
            />
            {steps.length > 1 && (
              <button
                type="button"
                className="ghost small"
                onClick={() => setSteps(steps.filter((_, i) => i !== index))}
              >
                Remove step {index + 1}
              </button>
            )}
          </fieldset>
        ))}
        {errors.fields.steps && <p className="error-text">{errors.fields.steps}</p>}
        <div className="actions">
          <button type="button" className="ghost" onClick={() => setSteps([...steps, { delay: "15", channelIds: [] }])}>
            Add a step
          </button>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {existing ? "Save" : "Create policy"}
          </button>
          <Link to="/alerting/policies">Cancel</Link>
          {existing && (
            <DeleteButton
              name={existing.name}
              remove={() =>
                api().api.DELETE("/api/v1/escalation-policies/{id}", { params: { path: { id: existing.id } } })
              }
              onDeleted={done}
            />
          )}
        </div>
      </form>
    </section>
  );
}
