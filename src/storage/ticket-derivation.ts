import type { Transaction } from './database.ts';

/** Ticket fields Sada fills from the ticket's messages when the source does not give them. */
export const DERIVABLE_TICKET_FIELDS: readonly string[] = ['first_response_at', 'handoff_at', 'agent_reply_count', 'customer_contact_count'];

/**
 * Recomputes the derivable fields of the tickets `ticketIdsSql` selects from their messages:
 * the first public reply by an agent (bots and private notes do not count), the bot hand-off (the
 * last bot message before that reply, when a bot answered first), the number of public agent
 * replies and of customer messages. A value the source gave is never overwritten; a
 * derived one is marked in derived_fields so the next import may refresh it.
 */
export async function deriveTicketTimes(tx: Transaction, workspaceId: number, ticketIdsSql: string): Promise<void> {
  const [any] = await tx.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM messages WHERE workspace_id = $1) AS found', [
    workspaceId,
  ]);
  if (!any?.found) return;
  const replace = (field: string, derived: string) =>
    `${field} = CASE WHEN t.${field} IS NULL OR '${field}' = ANY(t.derived_fields) THEN ${derived} ELSE t.${field} END`;
  const mark = DERIVABLE_TICKET_FIELDS.map(
    (field) => `CASE WHEN (t.${field} IS NULL OR '${field}' = ANY(t.derived_fields)) THEN '${field}' END`,
  ).join(', ');
  await tx.query(
    `UPDATE tickets AS t SET
       ${replace('first_response_at', 'd.first_reply')},
       ${replace('handoff_at', 'd.handoff')},
       ${replace('agent_reply_count', 'd.agent_replies')},
       ${replace('customer_contact_count', 'd.customer_messages')},
       derived_fields = ARRAY(SELECT DISTINCT f FROM unnest(t.derived_fields || ARRAY[${mark}]) AS f WHERE f IS NOT NULL)
     FROM (
       SELECT r.*,
              (SELECT max(b.sent_at) FROM messages b
               WHERE b.workspace_id = $1 AND b.ticket_id = r.ticket_id AND b.author_kind = 'bot' AND b.sent_at >= r.created_at
                 AND (r.first_reply IS NULL OR b.sent_at <= r.first_reply)) AS handoff
       FROM (
         SELECT m.ticket_id, tk.created_at,
                min(m.sent_at) FILTER (WHERE m.author_kind = 'agent' AND m.public IS NOT FALSE AND m.sent_at >= tk.created_at) AS first_reply,
                count(*) FILTER (WHERE m.author_kind = 'agent' AND m.public IS NOT FALSE)::integer AS agent_replies,
                count(*) FILTER (WHERE m.author_kind = 'customer')::integer AS customer_messages
         FROM messages AS m
         JOIN tickets AS tk ON tk.workspace_id = m.workspace_id AND tk.id = m.ticket_id
         WHERE m.workspace_id = $1 AND m.ticket_id IN (${ticketIdsSql})
         GROUP BY m.ticket_id, tk.created_at
       ) AS r
     ) AS d
     WHERE t.workspace_id = $1 AND t.id = d.ticket_id`,
    [workspaceId],
  );
}
