/**
 * The fixed facts of the demo company, Birch & Palm: an online home-and-living retailer with
 * warehouses in Riyadh, Kaunas and Manchester, a paid membership ("Palm Club") and a business
 * desk for offices, hotels and clinics. Everything here is data; generator.ts draws from it.
 */

export type Language = 'en' | 'ar' | 'lt';

export interface Country {
  name: string;
  weight: number;
  cities: ReadonlyArray<readonly [string, number]>;
  languages: ReadonlyArray<readonly [Language, number]>;
  currency: string;
  /** Units of the local currency per euro (rounded; the demo's prices are in euros). */
  perEuro: number;
  carrier: string;
  /** Delivery days the shop promises. */
  promisedDays: number;
  /** Support team that serves the country's customers (English speakers of the Gulf included). */
  team: SupportTeamId;
  /** Whether the company has a showroom there (in-store orders). */
  store: boolean;
  region: 'gulf' | 'levant' | 'baltic' | 'europe';
}

export const COUNTRIES: readonly Country[] = [
  {
    name: 'Saudi Arabia',
    weight: 0.3,
    cities: [['Riyadh', 0.4], ['Jeddah', 0.3], ['Dammam', 0.15], ['Mecca', 0.08], ['Medina', 0.07]],
    languages: [['ar', 0.85], ['en', 0.15]],
    currency: 'SAR',
    perEuro: 4.05,
    carrier: 'Falcon Express',
    promisedDays: 2,
    team: 'support-ar',
    store: true,
    region: 'gulf',
  },
  {
    name: 'Jordan',
    weight: 0.1,
    cities: [['Amman', 0.65], ['Irbid', 0.2], ['Zarqa', 0.15]],
    languages: [['ar', 0.75], ['en', 0.25]],
    currency: 'JOD',
    perEuro: 0.77,
    carrier: 'Falcon Express',
    promisedDays: 4,
    team: 'support-ar',
    store: false,
    region: 'levant',
  },
  {
    name: 'United Arab Emirates',
    weight: 0.09,
    cities: [['Dubai', 0.55], ['Abu Dhabi', 0.3], ['Sharjah', 0.15]],
    languages: [['en', 0.55], ['ar', 0.45]],
    currency: 'AED',
    perEuro: 3.97,
    carrier: 'Falcon Express',
    promisedDays: 3,
    team: 'support-ar',
    store: false,
    region: 'gulf',
  },
  {
    name: 'Egypt',
    weight: 0.05,
    cities: [['Cairo', 0.6], ['Alexandria', 0.3], ['Giza', 0.1]],
    languages: [['ar', 0.9], ['en', 0.1]],
    currency: 'EGP',
    perEuro: 53,
    carrier: 'Nile Parcel',
    promisedDays: 5,
    team: 'support-ar',
    store: false,
    region: 'levant',
  },
  {
    name: 'Lithuania',
    weight: 0.18,
    cities: [['Vilnius', 0.45], ['Kaunas', 0.3], ['Klaipėda', 0.15], ['Šiauliai', 0.1]],
    languages: [['lt', 0.85], ['en', 0.15]],
    currency: 'EUR',
    perEuro: 1,
    carrier: 'Amber Express',
    promisedDays: 2,
    team: 'support-baltic',
    store: true,
    region: 'baltic',
  },
  {
    name: 'United Kingdom',
    weight: 0.2,
    cities: [['London', 0.45], ['Manchester', 0.2], ['Birmingham', 0.15], ['Edinburgh', 0.1], ['Leeds', 0.1]],
    languages: [['en', 1]],
    currency: 'GBP',
    perEuro: 0.85,
    carrier: 'Thames Parcel',
    promisedDays: 3,
    team: 'support-en',
    store: true,
    region: 'europe',
  },
  {
    name: 'Germany',
    weight: 0.08,
    cities: [['Berlin', 0.4], ['Munich', 0.3], ['Hamburg', 0.3]],
    languages: [['en', 1]],
    currency: 'EUR',
    perEuro: 1,
    carrier: 'Rhein Paket',
    promisedDays: 4,
    team: 'support-en',
    store: false,
    region: 'europe',
  },
];

export type SupportTeamId = 'support-ar' | 'support-baltic' | 'support-en' | 'support-tier2';

export interface TeamInfo {
  id: string;
  name: string;
  location: string;
  /** Share of the support agents (support teams) or of the other staff. */
  share: number;
  support: boolean;
  /** Languages its people answer surveys in. */
  languages: ReadonlyArray<readonly [Language, number]>;
  /** Staff cost per hour in euros: [min, max]. */
  hourlyCost: readonly [number, number];
  roles: readonly string[];
  /** Name pool its people are drawn from. */
  names: NamePool;
}

export const TEAMS: readonly TeamInfo[] = [
  { id: 'support-ar', name: 'Customer Support — Arabic', location: 'Riyadh', share: 0.45, support: true, languages: [['ar', 0.7], ['en', 0.3]], hourlyCost: [14, 19], roles: ['Support agent', 'Senior support agent'], names: 'arabic' },
  { id: 'support-baltic', name: 'Customer Support — Baltic', location: 'Kaunas', share: 0.2, support: true, languages: [['lt', 0.8], ['en', 0.2]], hourlyCost: [12, 16], roles: ['Support agent', 'Senior support agent'], names: 'lithuanian' },
  { id: 'support-en', name: 'Customer Support — English', location: 'Manchester', share: 0.27, support: true, languages: [['en', 1]], hourlyCost: [19, 24], roles: ['Support agent', 'Senior support agent'], names: 'english' },
  { id: 'support-tier2', name: 'Escalations (Tier 2)', location: 'Manchester', share: 0.08, support: true, languages: [['en', 0.8], ['ar', 0.2]], hourlyCost: [24, 30], roles: ['Escalation specialist'], names: 'english' },
  { id: 'logistics', name: 'Logistics & Fulfilment', location: 'Kaunas', share: 0.4, support: false, languages: [['lt', 0.6], ['ar', 0.25], ['en', 0.15]], hourlyCost: [11, 17], roles: ['Warehouse associate', 'Dispatcher', 'Logistics coordinator'], names: 'lithuanian' },
  { id: 'marketing', name: 'Marketing', location: 'Riyadh', share: 0.12, support: false, languages: [['ar', 0.5], ['en', 0.5]], hourlyCost: [20, 32], roles: ['Marketing specialist', 'Content designer', 'CRM manager'], names: 'arabic' },
  { id: 'product', name: 'Product & Engineering', location: 'Vilnius', share: 0.2, support: false, languages: [['lt', 0.5], ['en', 0.5]], hourlyCost: [28, 45], roles: ['Software engineer', 'Product manager', 'Data analyst', 'Designer'], names: 'lithuanian' },
  { id: 'sales-b2b', name: 'Business Sales', location: 'London', share: 0.15, support: false, languages: [['en', 1]], hourlyCost: [24, 36], roles: ['Account manager', 'Sales representative'], names: 'english' },
  { id: 'people', name: 'People & Culture', location: 'Riyadh', share: 0.08, support: false, languages: [['ar', 0.6], ['en', 0.4]], hourlyCost: [22, 30], roles: ['HR partner', 'Recruiter', 'Trainer'], names: 'arabic' },
];

export type NamePool = 'arabic' | 'arabic-latin' | 'lithuanian' | 'english' | 'german';

interface Names {
  male: readonly string[];
  female: readonly string[];
  /** One surname list, or [male forms, female forms] for languages whose surnames differ. */
  surnames: readonly string[] | readonly [readonly string[], readonly string[]];
}

export const NAMES: Record<NamePool, Names> = {
  arabic: {
    male: ['محمد', 'أحمد', 'عبدالله', 'خالد', 'يوسف', 'عمر', 'فهد', 'سعود', 'علي', 'حسن', 'طارق', 'ماجد'],
    female: ['فاطمة', 'نورة', 'سارة', 'ريم', 'لينا', 'هند', 'مريم', 'دانة', 'جود', 'ليلى', 'رنا', 'أمل'],
    surnames: ['العتيبي', 'القحطاني', 'الحربي', 'الشمري', 'الزهراني', 'المصري', 'الحسن', 'النجار', 'الخطيب', 'العلي', 'حداد', 'الدوسري'],
  },
  'arabic-latin': {
    male: ['Mohammed', 'Ahmed', 'Abdullah', 'Khalid', 'Youssef', 'Omar', 'Fahad', 'Saud', 'Ali', 'Hassan', 'Tariq', 'Majed'],
    female: ['Fatima', 'Noura', 'Sara', 'Reem', 'Lina', 'Hind', 'Maryam', 'Dana', 'Joud', 'Layla', 'Rana', 'Amal'],
    surnames: ['Al-Otaibi', 'Al-Qahtani', 'Al-Harbi', 'Al-Shammari', 'Al-Zahrani', 'Haddad', 'Khoury', 'Nasser', 'Al-Khatib', 'Al-Dosari', 'Mansour', 'Saleh'],
  },
  lithuanian: {
    male: ['Jonas', 'Tomas', 'Mantas', 'Lukas', 'Darius', 'Andrius', 'Paulius', 'Mindaugas', 'Karolis', 'Vytautas'],
    female: ['Rūta', 'Eglė', 'Inga', 'Greta', 'Aistė', 'Laura', 'Jurgita', 'Milda', 'Ieva', 'Gabija'],
    surnames: [
      ['Kazlauskas', 'Petrauskas', 'Jankauskas', 'Stankevičius', 'Vasiliauskas', 'Žukauskas', 'Butkus', 'Paulauskas', 'Urbonas', 'Kavaliauskas'],
      ['Kazlauskienė', 'Petrauskienė', 'Jankauskienė', 'Stankevičienė', 'Vasiliauskienė', 'Žukauskienė', 'Butkienė', 'Paulauskienė', 'Urbonienė', 'Kavaliauskienė'],
    ],
  },
  english: {
    male: ['James', 'Oliver', 'Harry', 'Jack', 'George', 'Daniel', 'Thomas', 'Samuel', 'Ravi', 'Adam'],
    female: ['Olivia', 'Amelia', 'Emily', 'Sophie', 'Grace', 'Hannah', 'Chloe', 'Priya', 'Lucy', 'Ella'],
    surnames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Patel', 'Walker', 'Hughes', 'Clarke'],
  },
  german: {
    male: ['Lukas', 'Felix', 'Jonas', 'Leon', 'Paul', 'Maximilian', 'Niklas', 'Tim'],
    female: ['Anna', 'Lea', 'Marie', 'Sophie', 'Laura', 'Julia', 'Hannah', 'Lena'],
    surnames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker'],
  },
};

export const SECTORS = ['retail', 'hospitality', 'healthcare', 'education', 'technology', 'construction', 'food & beverage', 'professional services'] as const;

export const COMPANY_WORDS: Record<'arabic' | 'lithuanian' | 'english' | 'german', { stems: readonly string[]; sector: Record<string, string>; suffix: string }> = {
  arabic: {
    stems: ['Al Noor', 'Al Waha', 'Najd', 'Dar Al Salam', 'Al Rawdah', 'Sahara', 'Al Faisal', 'Al Majd', 'Petra', 'Al Yasmeen'],
    sector: { retail: 'Trading', hospitality: 'Hotels', healthcare: 'Clinics', education: 'Schools', technology: 'Tech', construction: 'Contracting', 'food & beverage': 'Cafés', 'professional services': 'Consulting' },
    suffix: 'Co.',
  },
  lithuanian: {
    stems: ['Baltijos', 'Nemuno', 'Gintaro', 'Vilniaus', 'Žalgirio', 'Aušros', 'Neries', 'Kuršių'],
    sector: { retail: 'prekyba', hospitality: 'viešbučiai', healthcare: 'klinika', education: 'mokykla', technology: 'technologijos', construction: 'statyba', 'food & beverage': 'kavinės', 'professional services': 'konsultacijos' },
    suffix: 'UAB',
  },
  english: {
    stems: ['Northgate', 'Riverside', 'Oakfield', 'Kingsway', 'Harbour', 'Elmwood', 'Bridgewater', 'Ashford'],
    sector: { retail: 'Stores', hospitality: 'Hotels', healthcare: 'Health', education: 'Academy', technology: 'Digital', construction: 'Builders', 'food & beverage': 'Kitchens', 'professional services': 'Partners' },
    suffix: 'Ltd',
  },
  german: {
    stems: ['Nordlicht', 'Spreeblick', 'Alpen', 'Hanse', 'Lindenhof', 'Isar'],
    sector: { retail: 'Handel', hospitality: 'Hotels', healthcare: 'Praxis', education: 'Akademie', technology: 'Digital', construction: 'Bau', 'food & beverage': 'Gastro', 'professional services': 'Beratung' },
    suffix: 'GmbH',
  },
};

export const AGE_BANDS: ReadonlyArray<readonly [string, number]> = [
  ['18-24', 0.12],
  ['25-34', 0.31],
  ['35-44', 0.26],
  ['45-54', 0.16],
  ['55-64', 0.1],
  ['65+', 0.05],
];

/** Membership plans, monthly prices in euros. `plus` goes up at the price-change incident. */
export const PLANS = {
  'club-basic': { price: 4.99, hazard: 0.032 },
  'club-plus': { price: 9.99, raisedPrice: 12.99, hazard: 0.02 },
  business: { price: 49, hazard: 0.011 },
} as const;
export type PlanId = keyof typeof PLANS;

export const CANCEL_REASONS = {
  price: 'too expensive',
  unused: 'not using it enough',
  competitor: 'moved to a competitor',
  delivery: 'delivery problems',
  support: 'poor support experience',
  closed: 'business closed',
  moving: 'moving abroad',
} as const;

export const TICKET_CATEGORIES = ['delivery', 'returns', 'payment', 'product', 'account', 'billing', 'damaged', 'complaint', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_SUBJECTS: Record<TicketCategory, Record<Language, string>> = {
  delivery: { en: 'Where is my order?', ar: 'أين طلبي؟', lt: 'Kur mano užsakymas?' },
  returns: { en: 'I want to return an item', ar: 'أريد إرجاع منتج', lt: 'Noriu grąžinti prekę' },
  payment: { en: 'Payment did not go through', ar: 'لم تتم عملية الدفع', lt: 'Nepavyko apmokėti' },
  product: { en: 'Question about a product', ar: 'سؤال عن منتج', lt: 'Klausimas apie prekę' },
  account: { en: 'Cannot log in to my account', ar: 'لا أستطيع الدخول إلى حسابي', lt: 'Negaliu prisijungti prie paskyros' },
  billing: { en: 'Question about my membership charge', ar: 'استفسار عن رسوم الاشتراك', lt: 'Klausimas dėl narystės mokesčio' },
  damaged: { en: 'My item arrived damaged', ar: 'وصل المنتج تالفاً', lt: 'Prekė atkeliavo sugadinta' },
  complaint: { en: 'Complaint about your service', ar: 'شكوى بخصوص الخدمة', lt: 'Skundas dėl aptarnavimo' },
  other: { en: 'General question', ar: 'استفسار عام', lt: 'Bendras klausimas' },
};

export const VISIT_INTENTS = ['buy-gift', 'browse', 'compare-prices', 'track-order', 'return-item', 'get-help', 'business-order', 'membership'] as const;
export type VisitIntent = (typeof VISIT_INTENTS)[number];

/** Topics of comments; each has the same sentences in the three languages. */
export const COMMENTS = {
  late_delivery: {
    en: ['The delivery was a week late and nobody told me why.', 'My parcel took far longer than promised.', 'Tracking was stuck for days and the courier never came.'],
    ar: ['تأخر التوصيل أسبوعاً كاملاً ولم يخبرني أحد بالسبب.', 'استغرقت الشحنة وقتاً أطول بكثير من الموعد المحدد.', 'توقف التتبع لأيام ولم يصل المندوب.'],
    lt: ['Siunta vėlavo visą savaitę ir niekas nepaaiškino kodėl.', 'Siuntinys keliavo daug ilgiau nei žadėta.', 'Sekimas kelias dienas nesikeitė, kurjeris taip ir neatvyko.'],
  },
  fast_delivery: {
    en: ['Arrived the next day, very fast delivery.', 'Delivery was quick and the courier was polite.'],
    ar: ['وصل الطلب في اليوم التالي، توصيل سريع جداً.', 'التوصيل كان سريعاً والمندوب محترم.'],
    lt: ['Prekės atkeliavo kitą dieną, labai greitas pristatymas.', 'Pristatymas greitas, kurjeris mandagus.'],
  },
  damaged: {
    en: ['The item arrived damaged.', 'The box was crushed and one plate was broken.'],
    ar: ['وصل المنتج تالفاً.', 'كانت العلبة مهشمة وأحد الصحون مكسور.'],
    lt: ['Prekė atkeliavo sugadinta.', 'Dėžė buvo sulamdyta, viena lėkštė sudužusi.'],
  },
  helpful_agent: {
    en: ['The agent was friendly and solved my problem right away.', 'Great support, everything was explained clearly.'],
    ar: ['الموظف كان لطيفاً وحل مشكلتي فوراً.', 'خدمة عملاء ممتازة، شرحوا لي كل شيء بوضوح.'],
    lt: ['Konsultantas buvo malonus ir iškart išsprendė mano problemą.', 'Puikus aptarnavimas, viską aiškiai paaiškino.'],
  },
  quick_answer: {
    en: ['I got an answer within minutes.', 'Fast reply, thank you.'],
    ar: ['حصلت على رد خلال دقائق.', 'رد سريع، شكراً لكم.'],
    lt: ['Atsakymą gavau per kelias minutes.', 'Greitai atsakė, ačiū.'],
  },
  slow_response: {
    en: ['I waited far too long for a reply.', 'Nobody answered the chat for ages.', 'It took days to get a response to my email.'],
    ar: ['انتظرت وقتاً طويلاً جداً للحصول على رد.', 'لم يرد أحد على المحادثة لفترة طويلة.', 'استغرق الرد على بريدي الإلكتروني أياماً.'],
    lt: ['Atsakymo laukiau per ilgai.', 'Pokalbyje ilgai niekas neatsakė.', 'Į mano el. laišką atsakė tik po kelių dienų.'],
  },
  repeat_contact: {
    en: ['I had to contact you three times about the same problem.', 'The issue came back and I had to explain everything again.', 'The answer I got did not solve anything.'],
    ar: ['اضطررت للتواصل معكم ثلاث مرات بخصوص نفس المشكلة.', 'عادت المشكلة واضطررت لشرح كل شيء من جديد.', 'الإجابة التي حصلت عليها لم تحل شيئاً.'],
    lt: ['Dėl tos pačios problemos teko kreiptis tris kartus.', 'Problema pasikartojo ir vėl teko viską aiškinti iš naujo.', 'Gautas atsakymas nieko neišsprendė.'],
  },
  payment_failed: {
    en: ['My card payment failed twice at checkout.', 'Payment kept failing, so I gave up on the order.'],
    ar: ['فشل الدفع بالبطاقة مرتين عند إتمام الطلب.', 'استمر فشل الدفع فألغيت الطلب.'],
    lt: ['Mokėjimas kortele nepavyko du kartus.', 'Apmokėti nepavyko, todėl atsisakiau užsakymo.'],
  },
  easy_checkout: {
    en: ['Checkout was quick and easy.', 'Paying took less than a minute.'],
    ar: ['إتمام الطلب كان سهلاً وسريعاً.', 'الدفع استغرق أقل من دقيقة.'],
    lt: ['Apmokėjimas buvo greitas ir paprastas.', 'Užsakymą pateikiau per minutę.'],
  },
  price_increase: {
    en: ['The new membership price is too high for what I get.', 'You raised the price without giving anything extra.'],
    ar: ['سعر الاشتراك الجديد مرتفع جداً مقارنة بما أحصل عليه.', 'رفعتم السعر دون أي ميزة إضافية.'],
    lt: ['Nauja narystės kaina per didelė už tai, ką gaunu.', 'Pakėlėte kainą nieko nepridėję.'],
  },
  good_value: {
    en: ['Good prices and quality for the money.', 'Great value, I will order again.'],
    ar: ['أسعار جيدة وجودة تستحق.', 'قيمة ممتازة، سأطلب مرة أخرى.'],
    lt: ['Geros kainos ir kokybė už savo pinigus.', 'Puiki vertė, užsisakysiu dar kartą.'],
  },
  good_quality: {
    en: ['The products are beautiful and well made.', 'Lovely quality, exactly as in the photos.'],
    ar: ['المنتجات جميلة وجودتها عالية.', 'جودة رائعة، تماماً كما في الصور.'],
    lt: ['Prekės gražios ir kokybiškos.', 'Puiki kokybė, tiksliai kaip nuotraukose.'],
  },
  hard_to_find: {
    en: ['It was hard to find what I was looking for on the site.', 'The search did not show the product I wanted.'],
    ar: ['كان من الصعب العثور على ما أبحث عنه في الموقع.', 'البحث لم يُظهر المنتج الذي أريده.'],
    lt: ['Svetainėje sunku rasti tai, ko ieškojau.', 'Paieška nerodė norimos prekės.'],
  },
  easy_return: {
    en: ['The return was simple and the refund came fast.'],
    ar: ['الإرجاع كان سهلاً واسترددت المبلغ بسرعة.'],
    lt: ['Grąžinti buvo paprasta, pinigus gavau greitai.'],
  },
  return_hassle: {
    en: ['Returning the item was complicated and the refund took weeks.'],
    ar: ['إرجاع المنتج كان معقداً واسترداد المبلغ استغرق أسابيع.'],
    lt: ['Grąžinti prekę buvo sudėtinga, o pinigų teko laukti kelias savaites.'],
  },
  easy_setup: {
    en: ['Signing up was easy and the welcome guide helped.'],
    ar: ['التسجيل كان سهلاً ودليل الترحيب كان مفيداً.'],
    lt: ['Registracija paprasta, pasveikinimo gidas padėjo.'],
  },
  confusing_setup: {
    en: ['Setting up my account was confusing.', 'I did not receive the confirmation e-mail.'],
    ar: ['إعداد حسابي كان مربكاً.', 'لم تصلني رسالة التأكيد.'],
    lt: ['Paskyros sukūrimas buvo painus.', 'Negavau patvirtinimo laiško.'],
  },
  bot_helpful: {
    en: ['The assistant answered instantly, no need to wait.'],
    ar: ['أجاب المساعد الآلي فوراً دون انتظار.'],
    lt: ['Virtualus asistentas atsakė iškart, nereikėjo laukti.'],
  },
  bot_unhelpful: {
    en: ['The chatbot did not understand my question.'],
    ar: ['لم يفهم روبوت المحادثة سؤالي.'],
    lt: ['Pokalbių robotas nesuprato mano klausimo.'],
  },
  ok: {
    en: ['It was okay.', 'Fine, nothing special.'],
    ar: ['كانت التجربة مقبولة.', 'جيد، لا شيء مميز.'],
    lt: ['Viskas buvo normaliai.', 'Neblogai, nieko ypatingo.'],
  },
  workload: {
    en: ['Too many tickets per shift, we are exhausted.', 'We are short of people and the queue never ends.'],
    ar: ['عدد التذاكر في كل وردية كبير جداً، نحن مرهقون.', 'ينقصنا موظفون والطابور لا ينتهي.'],
    lt: ['Per pamainą per daug užklausų, esame išsekę.', 'Trūksta žmonių, eilė niekada nesibaigia.'],
  },
  good_team: {
    en: ['Great team and a supportive manager.'],
    ar: ['فريق رائع ومدير داعم.'],
    lt: ['Puiki komanda ir palaikantis vadovas.'],
  },
  training: {
    en: ['I would like more training on the new products.'],
    ar: ['أتمنى المزيد من التدريب على المنتجات الجديدة.'],
    lt: ['Norėčiau daugiau mokymų apie naujas prekes.'],
  },
  tools: {
    en: ['Our tools are slow and crash often.'],
    ar: ['أدواتنا بطيئة وتتعطل كثيراً.'],
    lt: ['Mūsų įrankiai lėti ir dažnai stringa.'],
  },
} as const satisfies Record<string, Record<Language, readonly string[]>>;
export type CommentTopic = keyof typeof COMMENTS;
