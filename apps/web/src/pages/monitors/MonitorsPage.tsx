import { useInfiniteQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { components } from "../../api/client.ts";
import { LIVE_MS, live } from "../../api/live.ts";
import { ago, millis, percent } from "../../components/format.ts";
import { Sparkline } from "../../components/Sparkline.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, VirtualTable } from "../../components/VirtualTable.tsx";
import { type MonitorFilters, readFilters, STATUSES, TYPES, writeFilters } from "./filters.ts";
import { monitorsQuery } from "./list-query.ts";

type Monitor = components["schemas"]["Monitor"];

/** Past this many pages loaded, live refreshes slow down: each refresh asks for every loaded page. */
const LIVE_PAGES = 5;

const COLUMNS: Column<Monitor>[] = [
  { header: "Status", width: "6.5rem", cell: (m) => <StatusBadge status={m.paused ? "paused" : m.status} /> },
  {
    header: "Name",
    width: "minmax(10rem, 2fr)",
    cell: (m) => (
      <Link to={`/monitors/${m.id}`} className="cell-link">
        {m.name}
      </Link>
    ),
  },
  { header: "Type", width: "5rem", cell: (m) => m.type, wide: true },
  { header: "Last check", width: "8rem", cell: (m) => ago(m.last_checked_at), wide: true },
  { header: "Uptime 24 h", width: "7rem", cell: (m) => percent(m.uptime_24h) },
  {
    header: "Response",
    width: "10rem",
    wide: true,
    cell: (m) => (
      <span className="spark-cell">
        <Sparkline values={m.response_ms_24h} label={`Response times of ${m.name}, last 24 hours`} />
        <span>{millis(m.last_response_ms)}</span>
      </span>
    ),
  },
];

export function MonitorsPage() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const list = useInfiniteQuery({
    ...monitorsQuery(filters),
    refetchInterval: live((pages) => (pages <= LIVE_PAGES ? LIVE_MS : LIVE_MS * 10)),
  });
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Monitors</h1>
        <Link to="/monitors/new" className="button">
          New monitor
        </Link>
      </div>
      <Filters filters={filters} onChange={(next, how) => setParams(writeFilters(next), how)} />
      {list.isError ? (
        <div role="alert" className="alert">
          {list.error.message}
        </div>
      ) : (
        <VirtualTable
          label="Monitors"
          rows={rows}
          columns={COLUMNS}
          rowKey={(m) => m.id}
          onNearEnd={more}
          empty={list.isPending ? "Loading…" : "No monitors match."}
        />
      )}
      <p className="muted" aria-live="polite">
        {rows.length} {hasNextPage ? "loaded, more as you scroll" : rows.length === 1 ? "monitor" : "monitors"}
      </p>
    </section>
  );
}

type OnFilters = (next: MonitorFilters, how: { replace: boolean }) => void;

/**
 * The filter bar. A choice in a menu is a step in history (back undoes it); the typed fields wait
 * for a pause in typing and replace the current entry, so back does not replay every keystroke.
 */
function Filters({ filters, onChange }: { filters: MonitorFilters; onChange: OnFilters }) {
  const [q, setQ] = useState(filters.q ?? "");
  const [tag, setTag] = useState(filters.tag ?? "");
  // What this bar last wrote to the URL: a different value there came from back/forward or a link.
  const sent = useRef({ q: filters.q ?? "", tag: filters.tag ?? "" });
  useEffect(() => {
    if ((filters.q ?? "") === sent.current.q && (filters.tag ?? "") === sent.current.tag) return;
    sent.current = { q: filters.q ?? "", tag: filters.tag ?? "" };
    setQ(sent.current.q);
    setTag(sent.current.tag);
  }, [filters.q, filters.tag]);
  useEffect(() => {
    if (q.trim() === sent.current.q && tag.trim() === sent.current.tag) return;
    const timer = setTimeout(() => {
      sent.current = { q: q.trim(), tag: tag.trim() };
      onChange({ ...filters, q, tag }, { replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [q, tag, filters, onChange]);
  return (
    <form className="filters" aria-label="Filter monitors" onSubmit={(event) => event.preventDefault()}>
      <label>
        Search
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name" />
      </label>
      <label>
        Status
        <select
          value={filters.status ?? ""}
          onChange={(e) =>
            onChange(
              { ...filters, status: (e.target.value || undefined) as MonitorFilters["status"] },
              { replace: false },
            )
          }
        >
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Type
        <select
          value={filters.type ?? ""}
          onChange={(e) =>
            onChange({ ...filters, type: (e.target.value || undefined) as MonitorFilters["type"] }, { replace: false })
          }
        >
          <option value="">Any</option>
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Tag
        <input value={tag} onChange={(e) => setTag(e.target.value)} />
      </label>
    </form>
  );
}
