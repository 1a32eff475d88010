import { parseSurvey, type Survey, type SurveyInput } from '../../src/listening/survey.ts';

/** A checkout survey in three languages: NPS with a follow-up by band, an intent choice, a comment. */
export function checkoutSurvey(overrides: Partial<SurveyInput> = {}): Survey {
  return parseSurvey({
    id: 'checkout',
    name: 'After checkout',
    touchpoint: 'checkout',
    defaultLanguage: 'en',
    languages: ['en', 'ar', 'lt'],
    questions: [
      {
        id: 'recommend',
        kind: 'nps',
        text: { en: 'How likely are you to recommend us to a friend?', ar: 'ما مدى احتمال أن توصي بنا لصديق؟', lt: 'Kaip tikėtina, kad rekomenduotumėte mus draugui?' },
        lowLabel: { en: 'Not at all likely', ar: 'غير محتمل إطلاقًا', lt: 'Visiškai netikėtina' },
        highLabel: { en: 'Extremely likely', ar: 'محتمل جدًا', lt: 'Labai tikėtina' },
        followUp: {
          text: { en: 'Why?', ar: 'لماذا؟', lt: 'Kodėl?' },
          low: { en: 'What went wrong?', ar: 'ما الذي حدث بشكل خاطئ؟', lt: 'Kas nepavyko?' },
          high: { en: 'What did you like most?', ar: 'ما الذي أعجبك أكثر؟', lt: 'Kas jums labiausiai patiko?' },
        },
      },
      {
        id: 'reason',
        kind: 'intent',
        text: { en: 'What brought you here today?', ar: 'ما الذي جاء بك اليوم؟', lt: 'Kas jus šiandien atvedė?' },
        choices: [
          { id: 'buy', text: { en: 'To buy something', ar: 'لشراء شيء', lt: 'Ką nors nusipirkti' } },
          { id: 'browse', text: { en: 'Just browsing', ar: 'أتصفح فقط', lt: 'Tik naršau' } },
        ],
        allowOther: true,
      },
    ],
    thankYou: { en: 'Thank you!', ar: 'شكرًا لك!', lt: 'Ačiū!' },
    ...overrides,
  });
}
