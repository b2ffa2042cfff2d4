import { type Query, QueryCache, QueryClient } from "@tanstack/react-query";
import { pollDelay } from "../api/budget.ts";
import { endSessionOn, UpfleetError } from "../api/client.ts";

type Interval = number | false | undefined | ((query: Query) => number | false | undefined);

/** A refetch costs a request per page loaded (an infinite query refetches every page). */
const costOf = (query: Query) => (query.state.data as { pages?: unknown[] } | undefined)?.pages?.length ?? 1;

/** A page's own refetch interval, lengthened by the rate-limit budget (budget.ts) when it runs thin. */
function paced(interval: Interval): Interval {
  if (!interval) return interval;
  return (query: Query) => {
    const base = typeof interval === "function" ? interval(query) : interval;
    return base ? pollDelay(base, costOf(query)) : base;
  };
}

/**
 * The one query client: API errors other than 401 are shown by the page that asked; 4xx are not
 * retried. Every live query is paced by the budget here, in one place, whatever page declares it.
 */
function createQueryClient(): QueryClient {
  const client = new QueryClient({
    queryCache: new QueryCache({ onError: endSessionOn }),
    defaultOptions: {
      queries: {
        staleTime: 1_000,
        // Hidden tabs do not poll; a tab shown again refetches what went stale at once.
        refetchIntervalInBackground: false,
        retry: (failures, error) => !(error instanceof UpfleetError && error.status < 500) && failures < 2,
      },
      mutations: { onError: endSessionOn },
    },
  });
  const defaults = client.defaultQueryOptions.bind(client);
  client.defaultQueryOptions = ((options) => {
    if (options._defaulted) return options;
    const defaulted = defaults(options);
    return { ...defaulted, refetchInterval: paced(defaulted.refetchInterval as Interval) };
  }) as typeof client.defaultQueryOptions;
  return client;
}

/** The app's one client: pages read it through QueryClientProvider, route loaders directly. */
export const queryClient = createQueryClient();
