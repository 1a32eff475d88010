import { has } from './helpers.ts';
import type { Preset } from './types.ts';

/**
 * Help Scout: satisfaction ratings as the rating webhook delivers them (one object per delivery;
 * a file of several as a JSON array or one per line). docs/presets.md#help-scout has the table.
 */

/** Great, Okay and Bad on a 1–5 scale: only Great is in CSAT's top two boxes. */
export const HELPSCOUT_RATINGS: Record<string, number> = { Great: 5, Okay: 3, Bad: 1 };

export const helpscout: Preset = {
  name: 'helpscout',
  title: 'Help Scout',
  docs: 'docs/presets.md#help-scout',
  sources: [
    {
      name: 'ratings',
      title: 'Satisfaction rating webhook payloads (satisfaction.ratings)',
      kind: 'responses',
      format: 'json',
      path: '',
      detect: (record) => has(record, 'rating', 'ticketId', 'createdAt') && typeof record.rating === 'string' && Object.hasOwn(HELPSCOUT_RATINGS, record.rating),
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          kind: { value: 'csat' },
          score: { column: 'rating', values: HELPSCOUT_RATINGS },
          scale_min: { value: 1 },
          scale_max: { value: 5 },
          comment: 'comments',
          submitted_at: 'createdAt',
          ticket_id: 'ticketId',
          customer_id: 'customer.id',
          touchpoint: { value: 'support' },
          'attributes.helpscout_rating': 'rating',
          'attributes.thread_id': 'threadId',
          'attributes.mailbox_id': 'mailbox.id',
          'attributes.mailbox': 'mailbox.name',
          'attributes.modified_at': 'modifiedAt',
        },
      },
      ignore: {
        customer: "the customer's name and e-mail addresses (personal data); its id is the customer",
      },
    },
  ],
};
