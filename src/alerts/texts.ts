import type { Lang } from "./rules.js";

/**
 * Words of alert messages and report digests, in the words support teams use in each language
 * (ar تذكرة, fa تیکت and حل, zh-Hant 工單). Numbers and dates go through Intl with LOCALES.
 */
const T = {
  en: {
    firing: "Alert",
    resolved: "Resolved",
    ticket: "Ticket",
    team: "Team",
    agent: "Agent",
    value: "Value",
    threshold: "Threshold",
    due: "Due",
    open_dashboard: "Open in Deskpulse",
    sla_due: "SLA due soon",
    sla_breached: "SLA breached",
    unassigned: "Ticket unassigned too long",
    waiting: "Customer waiting too long",
    backlog_age: "Old tickets in the backlog",
    metric: "Metric out of bounds",
    anomaly: "Unusual activity",
    first_reply: "first reply",
    next_reply: "next reply",
    resolution: "resolution",
    minutes: "min",
    hours: "h",
    report_title: "KPI digest",
    report_period: "Period",
    report_previous: "Previous period",
    report_target: "Target",
    report_change: "Change",
    report_metric: "Metric",
    report_breaches: "Worst SLA breaches",
    report_overdue: "Overdue by",
    report_none: "No SLA breaches in this period.",
    report_attached: "Attached: the figures as CSV and this report as PDF.",
    all_teams: "All teams",
  },
  ar: {
    firing: "تنبيه",
    resolved: "تمت المعالجة",
    ticket: "التذكرة",
    team: "الفريق",
    agent: "الموظف",
    value: "القيمة",
    threshold: "الحد",
    due: "الموعد النهائي",
    open_dashboard: "افتح في Deskpulse",
    sla_due: "اقتراب موعد اتفاقية مستوى الخدمة",
    sla_breached: "تجاوز اتفاقية مستوى الخدمة",
    unassigned: "تذكرة بلا موظف مسؤول لفترة طويلة",
    waiting: "العميل ينتظر منذ فترة طويلة",
    backlog_age: "تذاكر قديمة متراكمة",
    metric: "مؤشر خارج الحدود",
    anomaly: "نشاط غير معتاد",
    first_reply: "الرد الأول",
    next_reply: "الرد التالي",
    resolution: "الحل",
    minutes: "دقيقة",
    hours: "ساعة",
    report_title: "ملخص مؤشرات الأداء",
    report_period: "الفترة",
    report_previous: "الفترة السابقة",
    report_target: "الهدف",
    report_change: "التغير",
    report_metric: "المؤشر",
    report_breaches: "أسوأ تجاوزات اتفاقية مستوى الخدمة",
    report_overdue: "متأخرة بمقدار",
    report_none: "لا توجد تجاوزات لاتفاقية مستوى الخدمة في هذه الفترة.",
    report_attached: "مرفق: الأرقام بصيغة CSV وهذا التقرير بصيغة PDF.",
    all_teams: "كل الفرق",
  },
  fa: {
    firing: "هشدار",
    resolved: "رفع شد",
    ticket: "تیکت",
    team: "تیم",
    agent: "کارشناس",
    value: "مقدار",
    threshold: "آستانه",
    due: "مهلت",
    open_dashboard: "باز کردن در Deskpulse",
    sla_due: "نزدیک شدن مهلت SLA",
    sla_breached: "نقض SLA",
    unassigned: "تیکت مدت زیادی بدون کارشناس مانده",
    waiting: "مشتری مدت زیادی منتظر است",
    backlog_age: "تیکت‌های قدیمی در صف",
    metric: "شاخص خارج از محدوده",
    anomaly: "فعالیت غیرعادی",
    first_reply: "اولین پاسخ",
    next_reply: "پاسخ بعدی",
    resolution: "حل",
    minutes: "دقیقه",
    hours: "ساعت",
    report_title: "خلاصه شاخص‌های کلیدی",
    report_period: "دوره",
    report_previous: "دوره قبل",
    report_target: "هدف",
    report_change: "تغییر",
    report_metric: "شاخص",
    report_breaches: "بدترین نقض‌های SLA",
    report_overdue: "تأخیر",
    report_none: "در این دوره نقض SLA نبوده است.",
    report_attached: "پیوست: اعداد به صورت CSV و همین گزارش به صورت PDF.",
    all_teams: "همه تیم‌ها",
  },
  "zh-Hant": {
    firing: "警示",
    resolved: "已解除",
    ticket: "工單",
    team: "團隊",
    agent: "客服人員",
    value: "數值",
    threshold: "門檻",
    due: "到期時間",
    open_dashboard: "在 Deskpulse 中開啟",
    sla_due: "SLA 即將到期",
    sla_breached: "SLA 已逾期",
    unassigned: "工單過久未指派",
    waiting: "客戶等待過久",
    backlog_age: "積壓的舊工單",
    metric: "指標超出範圍",
    anomaly: "異常活動",
    first_reply: "首次回覆",
    next_reply: "下次回覆",
    resolution: "解決",
    minutes: "分鐘",
    hours: "小時",
    report_title: "KPI 摘要",
    report_period: "期間",
    report_previous: "上一期間",
    report_target: "目標",
    report_change: "變化",
    report_metric: "指標",
    report_breaches: "最嚴重的 SLA 逾期",
    report_overdue: "逾期",
    report_none: "本期間沒有 SLA 逾期。",
    report_attached: "附件：數據 CSV 檔與本報告 PDF 檔。",
    all_teams: "所有團隊",
  },
} satisfies Record<Lang, Record<string, string>>;

export type TextKey = keyof (typeof T)["en"];
export const LOCALES: Record<Lang, string> = { en: "en-GB", ar: "ar-EG", fa: "fa-IR-u-ca-persian", "zh-Hant": "zh-Hant-TW" };
export const isRtl = (l: Lang) => l === "ar" || l === "fa";

export function text(lang: Lang, key: TextKey): string {
  return T[lang][key] ?? T.en[key];
}

export function fmtNum(lang: Lang, v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(v);
}

export function fmtTime(lang: Lang, ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(ms));
}

export function fmtDate(lang: Lang, ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeZone }).format(new Date(ms));
}
