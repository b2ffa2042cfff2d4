import { QueryCache, QueryClient } from "@tanstack/react-query";
import { endSessionOn, UpfleetError } from "../api/client.ts";

/**
 * The app's one query client (pages read it through QueryClientProvider, route loaders directly):
 * API errors other than 401 are shown by the page that asked; 4xx are not retried. Live queries pace
 * themselves by the rate-limit budget (api/live.ts).
 */
export const queryClient = new QueryClient({
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
