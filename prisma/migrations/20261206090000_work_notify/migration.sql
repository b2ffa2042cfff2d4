-- Work for the alerter announces itself (issue #15): the alerter LISTENs on upfleet_work and runs its
-- work probe when told, instead of querying once a second; a slow sweep catches a lost notification.
-- The payload is the table's name; repeats within one transaction are folded into one by PostgreSQL.
CREATE FUNCTION upfleet_notify_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('upfleet_work', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

-- A state change to apply (a failure ping, another alerter's ingest, a deadline passed).
CREATE TRIGGER monitor_events_notify_work AFTER INSERT ON monitor_events
  FOR EACH ROW EXECUTE FUNCTION upfleet_notify_work();

-- An incident change to route (acknowledged, commented, resolved in the API).
CREATE TRIGGER incident_events_notify_work AFTER INSERT ON incident_events
  FOR EACH ROW EXECUTE FUNCTION upfleet_notify_work();

-- A window's end may now be due sooner.
CREATE TRIGGER maintenance_windows_notify_work AFTER INSERT OR UPDATE OR DELETE ON maintenance_windows
  FOR EACH STATEMENT EXECUTE FUNCTION upfleet_notify_work();

-- A heartbeat deadline that came nearer (a new monitor, a resume, a shorter interval). A ping moves its
-- monitor's deadline later, which the watcher's timer finds on its own: no notification for those.
CREATE TRIGGER monitors_notify_work_insert AFTER INSERT ON monitors
  FOR EACH ROW WHEN (NEW.heartbeat_deadline_at IS NOT NULL)
  EXECUTE FUNCTION upfleet_notify_work();
CREATE TRIGGER monitors_notify_work_update AFTER UPDATE OF heartbeat_deadline_at, paused, deleted_at ON monitors
  FOR EACH ROW WHEN (NEW.heartbeat_deadline_at IS NOT NULL AND (OLD.heartbeat_deadline_at IS NULL
    OR NEW.heartbeat_deadline_at < OLD.heartbeat_deadline_at
    OR NEW.paused IS DISTINCT FROM OLD.paused OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at))
  EXECUTE FUNCTION upfleet_notify_work();
