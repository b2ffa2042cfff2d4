import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client.ts";
import { type FormErrors, formErrors } from "../../api/field-errors.ts";
import { Field, FormAlert } from "../../components/Field.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { TYPES } from "./filters.ts";
import {
  defaultValues,
  type FieldSpec,
  type FormValues,
  fieldsOf,
  type MonitorType,
  toBody,
  toValues,
} from "./monitor-form.ts";

/** /monitors/new and /monitors/:id/edit. */
export function MonitorFormPage() {
  const { id } = useParams();
  const monitor = useQuery({
    queryKey: ["monitor", id],
    queryFn: async () => (await api().monitors.get(id!)) as unknown as Record<string, unknown>,
    enabled: Boolean(id),
  });
  if (!id) return <MonitorForm />;
  return <QueryState query={monitor}>{(data) => <MonitorForm existing={data} />}</QueryState>;
}

function MonitorForm({ existing }: { existing?: Record<string, unknown> }) {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [type, setType] = useState<MonitorType>((existing?.type as MonitorType) ?? "http");
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: [] });
  const [busy, setBusy] = useState(false);
  const initial: FormValues = existing ? toValues(existing) : defaultValues(type);
  const fields = fieldsOf(type);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget)) as FormValues;
    const body = toBody(type, values, Boolean(existing));
    setBusy(true);
    try {
      const saved = existing
        ? await api().monitors.update(existing.id as string, body as never)
        : await api().monitors.create(body as never);
      await queries.invalidateQueries({ queryKey: ["monitors"] });
      queries.setQueryData(["monitor", saved.id], saved);
      navigate(`/monitors/${saved.id}`);
    } catch (error) {
      setErrors(formErrors(error, ["type", ...fields.map((f) => f.name)]));
    } finally {
      setBusy(false);
    }
  };

  const title = existing ? `Edit ${existing.name as string}` : "New monitor";
  return (
    <section className="page narrow">
      <h1>{title}</h1>
      <form onSubmit={onSubmit} noValidate className="card form" key={type}>
        <FormAlert messages={errors.general} />
        <Field label="Type" error={errors.fields.type}>
          {(control) => (
            <select
              {...control}
              name="type"
              value={type}
              disabled={Boolean(existing)}
              onChange={(e) => {
                setType(e.target.value as MonitorType);
                setErrors({ fields: {}, general: [] });
              }}
            >
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        {fields.map((spec) => (
          <Field key={spec.name} label={spec.label} error={errors.fields[spec.name]} hint={spec.hint}>
            {(control) => <Control spec={spec} initial={initial[spec.name]} control={control} />}
          </Field>
        ))}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {existing ? "Save" : "Create monitor"}
          </button>
          <Link to={existing ? `/monitors/${existing.id as string}` : "/monitors"}>Cancel</Link>
        </div>
      </form>
    </section>
  );
}

function Control({
  spec,
  initial,
  control,
}: {
  spec: FieldSpec;
  initial: string | undefined;
  control: { id: string };
}) {
  const common = { ...control, name: spec.name };
  switch (spec.kind) {
    case "checkbox":
      return <input {...common} type="checkbox" defaultChecked={initial === "on"} />;
    case "select":
      return (
        <select {...common} defaultValue={initial}>
          {spec.options?.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      );
    case "json":
    case "textarea":
      return <textarea {...common} defaultValue={initial} rows={spec.kind === "json" ? 6 : 3} spellCheck={false} />;
    case "number":
      return <input {...common} inputMode="numeric" defaultValue={initial} />;
    default:
      return <input {...common} type={spec.kind === "url" ? "url" : "text"} defaultValue={initial} />;
  }
}
