import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { dateTime, percent } from "../../components/format.ts";
import { QueryState } from "../../components/QueryState.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { stateLabel } from "./page-form.ts";

type View = components["schemas"]["PublicStatusPage"];
type Incident = components["schemas"]["PublicIncident"];

/**
 * /status-pages/:id/preview: what the public page shows (the API's preview, the same JSON as the
 * public one) before it is published, and after.
 */
export function PreviewPage() {
  const { id } = useParams() as { id: string };
  const page = useQuery({
    queryKey: ["status-page", id],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/status-pages/{id}", { params: { path: { id } } });
      return data!;
    },
  });
  const view = useQuery({
    queryKey: ["status-page", id, "preview"],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/status-pages/{id}/preview", { params: { path: { id } } });
      return data!;
    },
  });
  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/status-pages">Status pages</Link>
      </p>
      <div className="page-head">
        <h1>Preview{page.data ? `: ${page.data.name}` : ""}</h1>
        <div className="actions">
          <Link className="button ghost" to={`/status-pages/${id}/edit`}>
            Edit
          </Link>
          {page.data?.published && (
            <a className="button ghost" href={`/status/${page.data.slug}`}>
              Open the public page
            </a>
          )}
        </div>
      </div>
      {page.data && !page.data.published && (
        <p className="notice" role="status">
          Not published: only your organization sees this preview. Publish it from Edit.
        </p>
      )}
      <QueryState query={view}>{(data) => <PublicView view={data} />}</QueryState>
    </section>
  );
}

function PublicView({ view }: { view: View }) {
  return (
    <article className="card preview" aria-label="Status page preview">
      <h2>{view.name}</h2>
      {view.description && <p>{view.description}</p>}
      <p>
        <StatusBadge status={view.status} /> {stateLabel(view.status)}
      </p>
      {view.sections.length === 0 && <p className="muted">No monitors listed yet.</p>}
      {view.sections.map((section) => (
        <section key={section.name} aria-label={section.name}>
          <h3>{section.name}</h3>
          <ul className="list">
            {section.components.map((component) => (
              <li key={component.id} className="component">
                <span>{component.name}</span> <StatusBadge status={component.status} />{" "}
                <span className="muted">{percent(component.uptime_percent)} over 90 days</span>
                <UptimeBars days={component.days} name={component.name} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <Incidents title="Active incidents" incidents={view.active_incidents} />
      <Incidents title="Last 14 days" incidents={view.recent_incidents} />
      <p className="muted">As of {dateTime(view.generated_at)}</p>
    </article>
  );
}

const BAR = 4;

/** One bar a day, its height the day's uptime (a day without checks is a grey stub). */
function UptimeBars({ days, name }: { days: View["sections"][number]["components"][number]["days"]; name: string }) {
  const known = days.filter((d) => d.uptime_percent !== null);
  const worst = known.length ? Math.min(...known.map((d) => d.uptime_percent!)) : null;
  return (
    <svg
      className="bars"
      width={days.length * BAR}
      height={20}
      role="img"
      aria-label={`${name}: ${days.length} days, lowest day ${percent(worst)}`}
    >
      {days.map((day, i) => {
        const height = day.uptime_percent === null ? 4 : Math.max(4, (day.uptime_percent / 100) * 20);
        const tone = day.uptime_percent === null ? "none" : day.uptime_percent >= 99 ? "up" : "down";
        return (
          <rect key={day.date} className={`bar-${tone}`} x={i * BAR} y={20 - height} width={BAR - 1} height={height} />
        );
      })}
    </svg>
  );
}

function Incidents({ title, incidents }: { title: string; incidents: Incident[] }) {
  return (
    <>
      <h3>{title}</h3>
      {incidents.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="list">
          {incidents.map((incident) => (
            <li key={incident.id}>
              <StatusBadge status={incident.status} /> {incident.title}{" "}
              <span className="muted">since {dateTime(incident.started_at)}</span>
              {incident.updates
                .filter((u) => u.message)
                .map((u) => (
                  <p key={u.created_at}>{u.message}</p>
                ))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
