/**
 * How long the broker may hold an empty fetch of the hub's low-traffic consumers (events feed,
 * notifications). kafkajs's default is 5 s, and a consumer's disconnect waits for the fetch in
 * flight: every hub stop (a rolling update, a test) then took ~5 s per consumer. Data still arrives
 * at once (a fetch returns as soon as a message is there); an idle hub pays two empty fetches a
 * second per consumer, which is noise next to its heartbeats.
 */
export const IDLE_FETCH_WAIT_MS = 500;
