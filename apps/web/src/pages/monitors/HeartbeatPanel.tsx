import { useQuery } from "@tanstack/react-query";
import { api, type components } from "../../api/client.ts";
import { live } from "../../api/live.ts";
import { CopyButton } from "../../components/CopyButton.tsx";
import { ago, dateTime, duration } from "../../components/format.ts";
import { QueryState } from "../../components/QueryState.tsx";

type HeartbeatMonitor = components["schemas"]["HeartbeatMonitor"];

/** A cron line that reports a job's start, then its exit code (0 is up, anything else down). */
export function crontabLine(schedule: string | null | undefined, url: string): string {
  const when = schedule ?? "*/5 * * * *";
  return `${when} curl -fsS -m 10 --retry 3 ${url}/start >/dev/null; your-job.sh; curl -fsS -m 10 --retry 3 ${url}/$? >/dev/null`;
}

/** A heartbeat's ping URLs with copy buttons, a crontab line and the ping log with run durations. */
export function HeartbeatPanel({ monitor }: { monitor: HeartbeatMonitor }) {
  const url = monitor.heartbeat_url;
  const pings = useQuery({
    queryKey: ["monitor", monitor.id, "pings"],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/monitors/{id}/pings", {
        params: { path: { id: monitor.id }, query: { limit: 50 } },
      });
      return data!.data;
    },
    refetchInterval: live(),
  });
  const line = crontabLine(monitor.heartbeat_schedule, url);
  return (
    <>
      <h2>Ping URL</h2>
      <ul className="list urls" aria-label="Ping URLs">
        {[
          ["Success", url],
          ["Start", `${url}/start`],
          ["Failure", `${url}/fail`],
        ].map(([label, value]) => (
          <li key={label}>
            <span className="muted">{label}</span> <code>{value}</code>{" "}
            <CopyButton text={value!} label={`Copy ${label!.toLowerCase()} URL`} />
          </li>
        ))}
      </ul>
      <p className="muted">
        Next ping expected {ago(monitor.heartbeat_next_expected_at)}; last {ago(monitor.heartbeat_last_ping_at)}.
      </p>
      <h3>Crontab</h3>
      <pre className="snippet">
        <code>{line}</code>
      </pre>
      <CopyButton text={line} label="Copy crontab line" />
      <h2>Pings</h2>
      <QueryState query={pings}>
        {(data) =>
          data.length === 0 ? (
            <p className="muted">No pings yet.</p>
          ) : (
            <div className="scroll-x">
              <table aria-label="Pings">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Exit code</th>
                    <th scope="col">Run</th>
                    <th scope="col">From</th>
                    <th scope="col">Body</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((ping) => (
                    <tr key={ping.id}>
                      <td>{dateTime(ping.created_at)}</td>
                      <td>{ping.kind}</td>
                      <td>{ping.exit_code ?? "—"}</td>
                      <td>{duration(ping.duration_ms)}</td>
                      <td>{ping.source_ip ?? "—"}</td>
                      <td className="clip">{ping.body ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </>
  );
}
