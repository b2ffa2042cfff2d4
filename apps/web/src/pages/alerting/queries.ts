import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client.ts";

/**
 * The organization's channels (the API's largest page): what rules and escalation steps choose
 * from, and the names the deliveries log shows. An organization has a handful, not thousands.
 */
export function useChannelChoices() {
  return useQuery({
    queryKey: ["channels", "choices"],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/notifications/channels", { params: { query: { limit: 200 } } });
      return data!.data;
    },
  });
}

/** The escalation policies a rule can use (the API's largest page). */
export function usePolicyChoices() {
  return useQuery({
    queryKey: ["policies", "choices"],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/escalation-policies", { params: { query: { limit: 200 } } });
      return data!.data;
    },
  });
}
