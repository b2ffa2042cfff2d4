import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { useSubmit } from "../../api/use-submit.ts";
import { DeleteButton } from "../../components/DeleteButton.tsx";
import { Field, FormAlert } from "../../components/Field.tsx";
import { MonitorPicker } from "../../components/MonitorPicker.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { pageBody, pageSections, type SectionDraft } from "./page-form.ts";

type StatusPage = components["schemas"]["StatusPage"];
const FIELDS = ["name", "slug", "description", "custom_domain", "published", "sections"];

/** /status-pages/new and /status-pages/:id/edit. */
export function StatusPageFormPage() {
  const { id } = useParams();
  const page = useQuery({
    queryKey: ["status-page", id],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/status-pages/{id}", { params: { path: { id: id! } } });
      return data!;
    },
    enabled: Boolean(id),
  });
  if (!id) return <StatusPageForm />;
  return <QueryState query={page}>{(data) => <StatusPageForm existing={data} />}</QueryState>;
}

function StatusPageForm({ existing }: { existing?: StatusPage }) {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [sections, setSections] = useState<SectionDraft[]>(pageSections(existing));
  const { errors, busy, run } = useSubmit(FIELDS);
  const setSection = (index: number, section: SectionDraft) =>
    setSections(sections.map((s, i) => (i === index ? section : s)));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const body = pageBody(values, sections, Boolean(existing));
    void run(async () => {
      const { data: saved } = existing
        ? await api().api.PATCH("/api/v1/status-pages/{id}", {
            params: { path: { id: existing.id } },
            body: body as components["schemas"]["UpdateStatusPageRequest"],
          })
        : await api().api.POST("/api/v1/status-pages", {
            body: body as components["schemas"]["CreateStatusPageRequest"],
          });
      await queries.invalidateQueries({ queryKey: ["status-pages"] });
      queries.setQueryData(["status-page", saved!.id], saved);
      navigate(`/status-pages/${saved!.id}/preview`);
    });
  };
  return (
    <section className="page narrow">
      <h1>{existing ? `Edit ${existing.name}` : "New status page"}</h1>
      <form onSubmit={onSubmit} noValidate className="card form">
        <FormAlert messages={errors.general} />
        <Field label="Name" error={errors.fields.name}>
          {(control) => <input {...control} name="name" defaultValue={existing?.name} />}
        </Field>
        <Field label="Slug" hint="The page's address: /status/<slug>; a-z, 0-9 and -" error={errors.fields.slug}>
          {(control) => <input {...control} name="slug" defaultValue={existing?.slug} />}
        </Field>
        <Field label="Description" error={errors.fields.description}>
          {(control) => (
            <textarea {...control} name="description" rows={2} defaultValue={existing?.description ?? ""} />
          )}
        </Field>
        <Field
          label="Custom domain"
          hint={
            existing?.custom_domain_verification
              ? `Verify it with a TXT record ${existing.custom_domain_verification.record} = ${existing.custom_domain_verification.value}${existing.custom_domain_verified ? " (verified)" : ""}`
              : "Optional, e.g. status.example.com"
          }
          error={errors.fields.custom_domain}
        >
          {(control) => <input {...control} name="custom_domain" defaultValue={existing?.custom_domain ?? ""} />}
        </Field>
        <Field
          label="Published"
          hint="Unpublished pages are visible only in the preview"
          error={errors.fields.published}
        >
          {(control) => (
            <input {...control} type="checkbox" name="published" defaultChecked={existing?.published ?? false} />
          )}
        </Field>
        <h2>Sections</h2>
        {sections.map((section, index) => (
          <fieldset key={index} className="card step">
            <legend>Section {index + 1}</legend>
            <Field label={`Section ${index + 1}: name`}>
              {(control) => (
                <input
                  {...control}
                  value={section.name}
                  onChange={(e) => setSection(index, { ...section, name: e.target.value })}
                />
              )}
            </Field>
            <MonitorPicker
              legend={`Section ${index + 1}: monitors`}
              value={section.monitorIds}
              onChange={(monitorIds) => setSection(index, { ...section, monitorIds })}
            />
            <button
              type="button"
              className="ghost small"
              onClick={() => setSections(sections.filter((_, i) => i !== index))}
            >
              Remove section {index + 1}
            </button>
          </fieldset>
        ))}
        {errors.fields.sections && <p className="error-text">{errors.fields.sections}</p>}
        <div className="actions">
          <button
            type="button"
            className="ghost"
            onClick={() => setSections([...sections, { name: "", monitorIds: [] }])}
          >
            Add a section
          </button>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {existing ? "Save" : "Create status page"}
          </button>
          <Link to="/status-pages">Cancel</Link>
          {existing && (
            <DeleteButton
              name={existing.name}
              remove={() => api().api.DELETE("/api/v1/status-pages/{id}", { params: { path: { id: existing.id } } })}
              onDeleted={async () => {
                await queries.invalidateQueries({ queryKey: ["status-pages"] });
                navigate("/status-pages");
              }}
            />
          )}
        </div>
      </form>
    </section>
  );
}
