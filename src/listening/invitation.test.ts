import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chromeLocale, composeInvitation } from './invitation.ts';
import { parseSurvey } from './survey.ts';

const survey = (first: 'csat' | 'text', languages = ['en', 'lt', 'de']) =>
  parseSurvey({
    id: 'after-ticket',
    name: 'After a ticket',
    touchpoint: 'support',
    defaultLanguage: 'en',
    languages,
    questions: [
      first === 'csat'
        ? { id: 'sat', kind: 'csat', text: { en: 'How satisfied are you?', lt: 'Ar esate patenkinti?', de: 'Wie zufrieden sind Sie?' }, lowLabel: { en: 'Not at all', lt: 'Visai ne' }, highLabel: { en: 'Very', lt: 'Labai' } }
        : { id: 'say', kind: 'text', text: { en: 'Tell us more', lt: 'Papasakokite' } },
    ],
  });

describe('invitation e-mail', () => {
  test('Lithuanian chrome and survey text; one link per score of the scale; the text part has them too', () => {
    const mail = composeInvitation({ survey: survey('csat'), language: 'lt', name: 'Jonas\r\nBcc: x@evil.example', link: 'https://cx.example/s/acme/after-ticket?lang=lt&t=abc' });
    assert.equal(mail.subject, 'Trumpas klausimas apie jūsų patirtį');
    assert.match(mail.html, /<html lang="lt" dir="ltr">/);
    assert.match(mail.html, /Sveiki, Jonas Bcc: x@evil\.example,/, 'line breaks in a name become spaces');
    assert.deepEqual(mail.scoreLinks.map((l) => l.score), [1, 2, 3, 4, 5]);
    assert.ok(mail.html.includes('href="https://cx.example/s/acme/after-ticket?lang=lt&amp;t=abc&amp;score=5"'));
    assert.match(mail.text, /Ar esate patenkinti\?/);
    assert.match(mail.text, /^5 {2}https:\/\/cx\.example\/s\/acme\/after-ticket\?lang=lt&t=abc&score=5$/m);
    assert.match(mail.text, /„Daugiau nesiųskite man apklausų“/);
  });

  test('a language without a catalogue gets the English chrome and its own survey texts; a first question that is not a score gets a plain link', () => {
    assert.equal(chromeLocale('de'), 'en');
    assert.equal(chromeLocale('ar-SA'), 'ar');
    const german = composeInvitation({ survey: survey('csat'), language: 'de', link: 'https://x/s?lang=de&t=1' });
    assert.equal(german.subject, 'A quick question about your experience');
    assert.match(german.html, /Wie zufrieden sind Sie\?/);
    assert.match(german.html, /^<p>Hello,<\/p>$/m);
    const text = composeInvitation({ survey: survey('text'), language: 'en', link: 'https://x/s?lang=en&t=1' });
    assert.deepEqual(text.scoreLinks, []);
    assert.doesNotMatch(text.html, /score=/);
    assert.match(text.text, /Open the survey: https:\/\/x\/s\?lang=en&t=1/);
  });
});
