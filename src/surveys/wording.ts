import type { Lang } from "../metrics/catalog.js";

export const LANGS: Lang[] = ["en", "ar", "fa", "zh-Hant"];
/** Intl locales, as the dashboard uses them: Persian with its own calendar, Arabic with its own digits. */
export const LOCALE: Record<Lang, string> = { en: "en-GB", ar: "ar-EG", fa: "fa-IR-u-ca-persian", "zh-Hant": "zh-Hant-TW" };
export const isRtl = (l: Lang) => l === "ar" || l === "fa";

/** The question a survey asks, by what it measures. `ces_effort` asks how much effort (lower is better). */
export type QuestionKey = "csat" | "nps" | "ces_easy" | "ces_effort" | "enps" | "targets_understood" | "targets_accepted" | "custom";
/** The words at the two ends of a scale. */
export type AnchorKey = "satisfied" | "likely" | "easy" | "effort" | "agree" | "thumbs";

export interface Words {
  questions: Record<QuestionKey, string>;
  anchors: Record<AnchorKey, [low: string, high: string]>;
  follow_up_low: string;
  follow_up_high: string;
  comment: string;
  submit: string;
  change: string;
  title: string;
  ticket: string;
  choose_score: string;
  thanks: string;
  editable_until: string;
  invalid: string;
  expired: string;
  answered: string;
  mail_subject: string;
  mail_intro: string;
  mail_open: string;
  employee_intro: string;
}

/** Defaults as support teams write them in each language (fa: تیکت; zh-Hant: 工單, Traditional only; ar: تذكرة). */
export const WORDS: Record<Lang, Words> = {
  en: {
    questions: {
      csat: "How would you rate the support you received?",
      nps: "How likely are you to recommend us to a friend or colleague?",
      ces_easy: "How easy was it to get your issue resolved?",
      ces_effort: "How much effort did you personally have to put in to get your request handled?",
      enps: "How likely are you to recommend working here to a friend?",
      targets_understood: "I understand the targets my work is measured against.",
      targets_accepted: "I consider my targets fair and achievable.",
      custom: "How was your experience?",
    },
    anchors: {
      satisfied: ["Very dissatisfied", "Very satisfied"],
      likely: ["Not at all likely", "Extremely likely"],
      easy: ["Very difficult", "Very easy"],
      effort: ["Very little effort", "A great deal of effort"],
      agree: ["Strongly disagree", "Strongly agree"],
      thumbs: ["Bad", "Good"],
    },
    follow_up_low: "What could we have done better?",
    follow_up_high: "What did we do well?",
    comment: "Anything else you would like to tell us? (optional)",
    submit: "Send",
    change: "Change my answer",
    title: "Survey",
    ticket: "Ticket {id}",
    choose_score: "Please choose a score.",
    thanks: "Thank you! Your answer has been recorded.",
    editable_until: "You can change your answer until {date}.",
    invalid: "This link is not valid: it may have been altered or copied incompletely. Please open the link from your e-mail again.",
    expired: "This survey link has expired. Thank you for your time.",
    answered: "This survey has already been answered. Thank you!",
    mail_subject: "How did we do with your ticket?",
    mail_intro: "Thank you for contacting us about ticket {id}. One click is all it takes:",
    mail_open: "Open the survey",
    employee_intro: "This survey is anonymous: results are shown only when enough colleagues have answered.",
  },
  ar: {
    questions: {
      csat: "ما مدى رضاك عن الدعم الذي تلقيته؟",
      nps: "ما مدى احتمال أن توصي بنا لصديق أو زميل؟",
      ces_easy: "ما مدى سهولة حل مشكلتك؟",
      ces_effort: "ما مقدار الجهد الذي بذلته شخصيًا حتى تمت معالجة طلبك؟",
      enps: "ما مدى احتمال أن توصي صديقًا بالعمل هنا؟",
      targets_understood: "أفهم الأهداف التي يُقاس بها أدائي.",
      targets_accepted: "أرى أن أهدافي عادلة وقابلة للتحقيق.",
      custom: "كيف كانت تجربتك؟",
    },
    anchors: {
      satisfied: ["غير راضٍ إطلاقًا", "راضٍ جدًا"],
      likely: ["غير مرجح إطلاقًا", "مرجح للغاية"],
      easy: ["صعب جدًا", "سهل جدًا"],
      effort: ["جهد قليل جدًا", "جهد كبير جدًا"],
      agree: ["لا أوافق بشدة", "أوافق بشدة"],
      thumbs: ["سيئ", "جيد"],
    },
    follow_up_low: "ما الذي كان بإمكاننا فعله بشكل أفضل؟",
    follow_up_high: "ما الذي أعجبك في خدمتنا؟",
    comment: "هل لديك ما تود إضافته؟ (اختياري)",
    submit: "إرسال",
    change: "تغيير إجابتي",
    title: "استطلاع رأي",
    ticket: "التذكرة {id}",
    choose_score: "يُرجى اختيار تقييم.",
    thanks: "شكرًا لك! تم تسجيل إجابتك.",
    editable_until: "يمكنك تغيير إجابتك حتى {date}.",
    invalid: "هذا الرابط غير صالح، فربما تم تعديله أو نسخه بشكل غير كامل. يُرجى فتح الرابط من بريدك الإلكتروني مرة أخرى.",
    expired: "انتهت صلاحية رابط هذا الاستطلاع. شكرًا لوقتك.",
    answered: "تمت الإجابة على هذا الاستطلاع من قبل. شكرًا لك!",
    mail_subject: "كيف كانت تجربتك مع فريق الدعم؟",
    mail_intro: "شكرًا لتواصلك معنا بخصوص التذكرة {id}. يكفي أن تضغط على تقييم واحد:",
    mail_open: "افتح الاستطلاع",
    employee_intro: "هذا الاستطلاع مجهول الهوية: لا تظهر النتائج إلا بعد أن يجيب عدد كافٍ من الزملاء.",
  },
  fa: {
    questions: {
      csat: "از پشتیبانی‌ای که دریافت کردید چقدر راضی هستید؟",
      nps: "چقدر احتمال دارد ما را به دوست یا همکارتان توصیه کنید؟",
      ces_easy: "حل شدن مشکلتان چقدر آسان بود؟",
      ces_effort: "برای رسیدگی به درخواستتان خودتان چقدر زحمت کشیدید؟",
      enps: "چقدر احتمال دارد کار کردن در این‌جا را به یک دوست توصیه کنید؟",
      targets_understood: "اهدافی را که عملکردم با آن‌ها سنجیده می‌شود به‌خوبی درک می‌کنم.",
      targets_accepted: "اهدافم را منصفانه و دست‌یافتنی می‌دانم.",
      custom: "تجربه‌تان چطور بود؟",
    },
    anchors: {
      satisfied: ["اصلاً راضی نیستم", "کاملاً راضی‌ام"],
      likely: ["اصلاً احتمال ندارد", "حتماً توصیه می‌کنم"],
      easy: ["خیلی سخت", "خیلی آسان"],
      effort: ["زحمت خیلی کم", "زحمت خیلی زیاد"],
      agree: ["کاملاً مخالفم", "کاملاً موافقم"],
      thumbs: ["بد", "خوب"],
    },
    follow_up_low: "چه کاری را می‌توانستیم بهتر انجام دهیم؟",
    follow_up_high: "چه چیزی را پسندیدید؟",
    comment: "نکته‌ی دیگری هست که بخواهید با ما در میان بگذارید؟ (اختیاری)",
    submit: "ارسال",
    change: "تغییر پاسخ",
    title: "نظرسنجی",
    ticket: "تیکت {id}",
    choose_score: "لطفاً یک امتیاز انتخاب کنید.",
    thanks: "سپاسگزاریم! پاسخ شما ثبت شد.",
    editable_until: "تا {date} می‌توانید پاسختان را تغییر دهید.",
    invalid: "این پیوند معتبر نیست؛ شاید تغییر کرده یا ناقص کپی شده باشد. لطفاً پیوند داخل ایمیلتان را دوباره باز کنید.",
    expired: "مهلت پاسخ به این نظرسنجی تمام شده است. از وقتی که گذاشتید سپاسگزاریم.",
    answered: "به این نظرسنجی قبلاً پاسخ داده شده است. سپاسگزاریم!",
    mail_subject: "نظرتان درباره‌ی پشتیبانی ما چیست؟",
    mail_intro: "ممنون که درباره‌ی تیکت {id} با ما در تماس بودید. فقط با یک کلیک امتیاز دهید:",
    mail_open: "باز کردن نظرسنجی",
    employee_intro: "این نظرسنجی ناشناس است: نتایج تنها وقتی نمایش داده می‌شود که تعداد کافی از همکاران پاسخ داده باشند.",
  },
  "zh-Hant": {
    questions: {
      csat: "您對這次獲得的支援服務滿意嗎？",
      nps: "您有多大可能向朋友或同事推薦我們？",
      ces_easy: "這次解決您的問題有多容易？",
      ces_effort: "為了處理這次的需求，您自己花了多少力氣？",
      enps: "您有多大可能向朋友推薦來這裡工作？",
      targets_understood: "我清楚了解用來衡量我工作表現的目標。",
      targets_accepted: "我認為我的目標公平且可以達成。",
      custom: "您這次的體驗如何？",
    },
    anchors: {
      satisfied: ["非常不滿意", "非常滿意"],
      likely: ["完全不可能", "非常可能"],
      easy: ["非常困難", "非常容易"],
      effort: ["非常省力", "非常費力"],
      agree: ["非常不同意", "非常同意"],
      thumbs: ["不滿意", "滿意"],
    },
    follow_up_low: "我們哪裡可以做得更好？",
    follow_up_high: "我們哪裡做得好？",
    comment: "還有其他想告訴我們的嗎？（選填）",
    submit: "送出",
    change: "修改我的回答",
    title: "意見調查",
    ticket: "工單 {id}",
    choose_score: "請選擇一個分數。",
    thanks: "謝謝您！已收到您的回覆。",
    editable_until: "您可以在 {date} 前修改回答。",
    invalid: "此連結無效，可能已被修改或複製不完整。請從您的電子郵件重新開啟連結。",
    expired: "此問卷連結已過期，感謝您撥冗。",
    answered: "此問卷已經填寫過了，謝謝您！",
    mail_subject: "請為這次的客服支援評分",
    mail_intro: "感謝您就工單 {id} 與我們聯繫。只要點選一個分數即可完成：",
    mail_open: "開啟問卷",
    employee_intro: "此問卷為匿名填寫：回覆人數足夠時才會顯示結果。",
  },
};

export const fill = (s: string, vars: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");

/** The best of our languages for an Accept-Language header (q-values honoured), else English. */
export function negotiateLang(header: string | undefined): Lang {
  if (!header) return "en";
  const prefs = header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of prefs) {
    const l = langOf(tag);
    if (l) return l;
  }
  return "en";
}

/** zh-TW, zh-HK and zh-Hant are ours; simplified Chinese (zh-CN, zh-Hans) is not, so it falls through. */
export function langOf(tag: string | undefined): Lang | undefined {
  if (!tag) return undefined;
  const t = tag.toLowerCase();
  if (t === "zh-hant" || t.startsWith("zh-hant-") || t === "zh-tw" || t === "zh-hk" || t === "zh-mo") return "zh-Hant";
  const base = t.split("-")[0];
  if (base === "en" || base === "ar" || base === "fa") return base;
  return undefined;
}
