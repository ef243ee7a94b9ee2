/** The IPC messages between a worker and the primary (metrics aggregation). */
export const METRICS_REQUEST = 'augur:metrics-request';
export const METRICS_RESPONSE = 'augur:metrics-response';

export interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}

export interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: number;
  text?: string;
  error?: string;
}
