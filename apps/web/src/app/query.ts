import { QueryCache, QueryClient } from "@tanstack/react-query";
import { endSessionOn, UpfleetError } from "../api/client.ts";

/** The one query client: API errors other than 401 are shown by the page that asked; 4xx are not retried. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: endSessionOn }),
    defaultOptions: {
      queries: {
        staleTime: 1_000,
        refetchIntervalInBackground: false,
        retry: (failures, error) => !(error instanceof UpfleetError && error.status < 500) && failures < 2,
      },
      mutations: { onError: endSessionOn },
    },
  });
}
