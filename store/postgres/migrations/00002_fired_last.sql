-- Schema 2: the fired journal keeps only each schedule's last fired
-- occurrence (occurrences of one schedule are recorded in time order), so
-- its size follows the number of schedules, not time; and the sends not yet
-- settled, which a new leader resends with the same Discord nonce. See
-- store/fired.go for what the journal guarantees.

-- +goose Up
CREATE TABLE fired_last (
	schedule_id BIGINT PRIMARY KEY,
	at_ns       BIGINT NOT NULL
);
INSERT INTO fired_last (schedule_id, at_ns)
	SELECT schedule_id, MAX(at_ns) FROM fired GROUP BY schedule_id;
DROP TABLE fired;

-- Occurrences recorded and sent, with no word yet that they arrived: about
-- as many rows as sends in flight.
CREATE TABLE fired_unsent (
	schedule_id BIGINT NOT NULL,
	at_ns       BIGINT NOT NULL,
	sent_ns     BIGINT NOT NULL,
	PRIMARY KEY (schedule_id, at_ns)
);

-- +goose Down
DROP TABLE fired_unsent;
CREATE TABLE fired (
	schedule_id BIGINT NOT NULL,
	at_ns       BIGINT NOT NULL,
	PRIMARY KEY (schedule_id, at_ns)
);
INSERT INTO fired (schedule_id, at_ns) SELECT schedule_id, at_ns FROM fired_last;
DROP TABLE fired_last;
