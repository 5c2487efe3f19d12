/**
 * What a person reads about each metric — definition and formula — in the four languages, in the
 * words support teams use (fa: تیکت, حل/رفع; zh-Hant: 工單; ar: تذكرة). The catalog (catalog.ts)
 * keeps the computation and the reviewers' notes; this table is the user-facing text, without
 * internal references to the spec's sources. Names stay in catalog.ts; the machine-translated names
 * of the seed articles are kept here as search aliases, never shown as labels.
 * No imports: the dashboard compiles this file too (web/tsconfig.json).
 */
export type TextLang = "en" | "ar" | "fa" | "zh-Hant";
interface Text {
  definition: string;
  formula: string;
}
type Texts = Record<TextLang, Text>;

const t = (en: [string, string], ar: [string, string], fa: [string, string], zh: [string, string]): Texts => ({
  en: { definition: en[0], formula: en[1] },
  ar: { definition: ar[0], formula: ar[1] },
  fa: { definition: fa[0], formula: fa[1] },
  "zh-Hant": { definition: zh[0], formula: zh[1] },
});

export const CATALOG_TEXT: Record<string, Texts> = {
  first_response_time: t(
    [
      "Ticket created → first public reply by a human agent (bots, automations and internal notes never count). If an agent opened the ticket, the clock starts at the customer's first message after it. Tickets not yet answered are waiting, not zero; the average is over tickets that received a first reply.",
      "Σ (first human reply − start) ÷ tickets with a first reply",
    ],
    [
      "من إنشاء التذكرة حتى أول رد علني من وكيل بشري (لا تُحتسب الروبوتات ولا الأتمتة ولا الملاحظات الداخلية). إذا فتح الوكيل التذكرة يبدأ العدّ من أول رسالة للعميل بعدها. التذاكر التي لم يُرد عليها بعد تُعدّ منتظرة لا صفرًا؛ والمتوسط على التذاكر التي تلقت ردًا أول.",
      "Σ (أول رد بشري − البداية) ÷ التذاكر التي تلقت ردًا أول",
    ],
    [
      "از ایجاد تیکت تا اولین پاسخ عمومی یک کارشناس انسانی (ربات، اتوماسیون و یادداشت داخلی حساب نمی‌شوند). اگر کارشناس تیکت را باز کرده باشد، زمان از اولین پیام مشتری پس از آن شروع می‌شود. تیکت‌های بی‌پاسخ در انتظارند، نه صفر؛ میانگین روی تیکت‌هایی است که اولین پاسخ را گرفته‌اند.",
      "Σ (اولین پاسخ کارشناس − شروع) ÷ تیکت‌های دارای اولین پاسخ",
    ],
    [
      "從工單建立到真人客服的第一則公開回覆（機器人、自動化與內部備註都不計）。若工單由客服開立，則從其後客戶的第一則訊息起算。尚未回覆的工單算作等待中，不算零；平均值只計已收到首次回覆的工單。",
      "Σ（首次真人回覆 − 起始）÷ 已有首次回覆的工單數",
    ],
  ),
  channel_expectations: t(
    [
      "Share of first replies within their channel's expected time: phone under 3 min, live chat under 45 s, email within 4 h; each channel's target is configurable.",
      "tickets whose first response ≤ their channel's target ÷ tickets with a first reply and a channel target × 100",
    ],
    [
      "نسبة الردود الأولى التي جاءت ضمن الوقت المتوقع لقناتها: الهاتف أقل من ٣ دقائق، الدردشة المباشرة أقل من ٤٥ ثانية، البريد الإلكتروني خلال ٤ ساعات؛ ويمكن ضبط هدف كل قناة.",
      "التذاكر التي جاء ردها الأول ضمن هدف قناتها ÷ التذاكر التي لها رد أول وهدف قناة × ١٠٠",
    ],
    [
      "سهم اولین پاسخ‌هایی که در زمان مورد انتظار کانال خود داده شده‌اند: تلفن کمتر از ۳ دقیقه، چت زنده کمتر از ۴۵ ثانیه، ایمیل تا ۴ ساعت؛ هدف هر کانال قابل تنظیم است.",
      "تیکت‌هایی که اولین پاسخشان ≤ هدف کانال ÷ تیکت‌های دارای اولین پاسخ و هدف کانال × ۱۰۰",
    ],
    [
      "首次回覆在該管道預期時間內的比例：電話 3 分鐘內、即時聊天 45 秒內、電子郵件 4 小時內；各管道目標可設定。",
      "首次回覆 ≤ 管道目標的工單 ÷ 有首次回覆且有管道目標的工單 × 100",
    ],
  ),
  average_response_time: t(
    [
      "Every customer message (consecutive customer messages count once, from the first) → the next reply by a human agent. Includes first responses.",
      "Σ response times ÷ responses",
    ],
    ["كل رسالة من العميل (الرسائل المتتالية تُحتسب مرة واحدة من أولها) حتى الرد التالي من وكيل بشري. يشمل الردود الأولى.", "Σ أوقات الرد ÷ عدد الردود"],
    ["هر پیام مشتری (پیام‌های پشت سر هم یک بار و از اولینشان) تا پاسخ بعدی کارشناس انسانی. اولین پاسخ‌ها را هم شامل می‌شود.", "Σ زمان‌های پاسخ ÷ تعداد پاسخ‌ها"],
    ["每則客戶訊息（連續訊息只算一次，從第一則起算）到下一則真人客服回覆的時間，包含首次回覆。", "Σ 回覆時間 ÷ 回覆數"],
  ),
  resolution_time: t(
    ["Ticket created → the first time it reaches a solved state.", "Σ (first solved − created) ÷ tickets resolved in the period"],
    ["من إنشاء التذكرة حتى أول مرة تصل فيها إلى حالة محلولة.", "Σ (أول حل − الإنشاء) ÷ التذاكر المحلولة في الفترة"],
    ["از ایجاد تیکت تا اولین باری که به وضعیت حل‌شده می‌رسد.", "Σ (اولین حل − ایجاد) ÷ تیکت‌های حل‌شده در دوره"],
    ["從工單建立到第一次變為已解決狀態的時間。", "Σ（首次解決 − 建立）÷ 本期已解決的工單數"],
  ),
  "resolution_time.first": t(
    ["Ticket created → the first time it reaches a solved state.", "Σ (first solved − created) ÷ tickets first resolved in the period"],
    ["من إنشاء التذكرة حتى أول مرة تصل فيها إلى حالة محلولة.", "Σ (أول حل − الإنشاء) ÷ التذاكر المحلولة لأول مرة في الفترة"],
    ["از ایجاد تیکت تا اولین باری که به وضعیت حل‌شده می‌رسد.", "Σ (اولین حل − ایجاد) ÷ تیکت‌هایی که اولین بار در دوره حل شده‌اند"],
    ["從工單建立到第一次變為已解決狀態的時間。", "Σ（首次解決 − 建立）÷ 本期首次解決的工單數"],
  ),
  "resolution_time.full": t(
    [
      "Ticket created → the last time it reaches a solved state, after any reopens; a ticket open again counts only once it is solved again.",
      "Σ (last solved − created) ÷ tickets resolved in the period",
    ],
    [
      "من إنشاء التذكرة حتى آخر مرة تصل فيها إلى حالة محلولة بعد أي إعادة فتح؛ التذكرة المعاد فتحها لا تُحتسب حتى تُحل مجددًا.",
      "Σ (آخر حل − الإنشاء) ÷ التذاكر المحلولة في الفترة",
    ],
    [
      "از ایجاد تیکت تا آخرین باری که پس از بازگشایی‌ها حل می‌شود؛ تیکتی که دوباره باز شده تا حل دوباره شمرده نمی‌شود.",
      "Σ (آخرین حل − ایجاد) ÷ تیکت‌های حل‌شده در دوره",
    ],
    ["從工單建立到重開後最後一次解決的時間；重新開啟的工單要再次解決後才計入。", "Σ（最後解決 − 建立）÷ 本期已解決的工單數"],
  ),
  average_handle_time: t(
    [
      "Handled calls and chats: total talk time, hold time and after-contact work, divided by handled contacts.",
      "(Σ talk + Σ hold + Σ after-contact work) ÷ handled contacts",
    ],
    [
      "للمكالمات والمحادثات المُعالجة: إجمالي وقت التحدث والانتظار والعمل بعد الاتصال مقسومًا على عدد الاتصالات المُعالجة.",
      "(Σ التحدث + Σ الانتظار + Σ العمل بعد الاتصال) ÷ الاتصالات المُعالجة",
    ],
    [
      "برای تماس‌ها و چت‌های رسیدگی‌شده: مجموع زمان مکالمه، انتظار روی خط و کار پس از تماس، تقسیم بر تعداد تماس‌های رسیدگی‌شده.",
      "(Σ مکالمه + Σ انتظار روی خط + Σ کار پس از تماس) ÷ تماس‌های رسیدگی‌شده",
    ],
    ["已處理的電話與聊天：通話、保留與事後處理的總時間，除以已處理的聯繫數。", "（Σ 通話 + Σ 保留 + Σ 事後處理）÷ 已處理聯繫數"],
  ),
  service_level: t(
    [
      "Phone and chat: share of offered contacts answered within the threshold (20 s unless set otherwise). Very short abandons are not counted.",
      "contacts answered within the threshold ÷ offered contacts × 100",
    ],
    [
      "الهاتف والدردشة: نسبة الاتصالات الواردة التي رُد عليها خلال الحد (٢٠ ثانية ما لم يُضبط غير ذلك). لا يُحتسب التخلي القصير جدًا.",
      "الاتصالات المُجابة خلال الحد ÷ الاتصالات الواردة × ١٠٠",
    ],
    [
      "تلفن و چت: سهم تماس‌های ورودی که در آستانه (۲۰ ثانیه مگر تنظیم دیگری) پاسخ داده شده‌اند. رها کردن‌های خیلی کوتاه شمرده نمی‌شوند.",
      "تماس‌های پاسخ‌داده در آستانه ÷ تماس‌های ورودی × ۱۰۰",
    ],
    ["電話與聊天：在門檻內（預設 20 秒）接聽的進線比例；極短的放棄不計。", "門檻內接聽的聯繫 ÷ 進線聯繫 × 100"],
  ),
  "service_level.asa": t(
    ["Offered → answered, for answered calls and chats.", "Σ wait of answered contacts ÷ answered contacts"],
    ["من ورود الاتصال حتى الرد عليه، للمكالمات والمحادثات المُجابة.", "Σ انتظار الاتصالات المُجابة ÷ الاتصالات المُجابة"],
    ["از ورود تماس تا پاسخ، برای تماس‌ها و چت‌های پاسخ‌داده.", "Σ انتظار تماس‌های پاسخ‌داده ÷ تماس‌های پاسخ‌داده"],
    ["已接聽的電話與聊天，從進線到接聽的時間。", "Σ 已接聽聯繫的等待時間 ÷ 已接聽聯繫數"],
  ),
  first_contact_resolution: t(
    [
      "A ticket solved with exactly one reply by a human agent (or none when solved at first touch), never reopened, never transferred. Eligible: solved tickets, minus those tagged ineligible (escalations to product or IT, customer error).",
      "tickets solved at first contact ÷ eligible tickets × 100",
    ],
    [
      "تذكرة حُلّت برد واحد فقط من وكيل بشري (أو دون رد إذا حُلّت من أول تواصل)، ولم يُعد فتحها ولم تُحوَّل. المؤهلة: التذاكر المحلولة عدا الموسومة بأنها غير مؤهلة (تصعيد للمنتج أو تقنية المعلومات، خطأ العميل).",
      "التذاكر المحلولة من أول اتصال ÷ التذاكر المؤهلة × ١٠٠",
    ],
    [
      "تیکتی که با دقیقاً یک پاسخ کارشناس (یا بدون پاسخ در همان تماس اول) حل شده، هرگز بازگشایی و ارجاع نشده است. واجد شرایط: تیکت‌های حل‌شده به جز برچسب‌خورده‌های غیرواجد (ارجاع به محصول یا فناوری اطلاعات، خطای مشتری).",
      "تیکت‌های حل‌شده در تماس اول ÷ تیکت‌های واجد شرایط × ۱۰۰",
    ],
    [
      "只經一次真人客服回覆（或首次接觸即解決而無回覆）就解決、從未重開、從未轉接的工單。適用範圍：已解決工單，扣除標記為不適用者（升級給產品或 IT、客戶錯誤）。",
      "首次聯繫即解決的工單 ÷ 適用工單 × 100",
    ],
  ),
  resolution_rate: t(
    [
      "Tickets created in the period that are solved now, out of all tickets created in the period; read it beside the backlog.",
      "solved tickets created in the period ÷ tickets created in the period × 100",
    ],
    [
      "التذاكر المُنشأة في الفترة والمحلولة الآن من بين كل التذاكر المُنشأة فيها؛ تُقرأ بجانب التراكم.",
      "التذاكر المحلولة المُنشأة في الفترة ÷ التذاكر المُنشأة في الفترة × ١٠٠",
    ],
    [
      "تیکت‌های ایجادشده در دوره که اکنون حل شده‌اند، از کل تیکت‌های ایجادشده؛ کنار تیکت‌های معوق خوانده شود.",
      "تیکت‌های حل‌شده‌ی ایجادشده در دوره ÷ تیکت‌های ایجادشده در دوره × ۱۰۰",
    ],
    ["本期建立且目前已解決的工單，占本期所有建立工單的比例；請與積壓工單一起看。", "本期建立且已解決的工單 ÷ 本期建立的工單 × 100"],
  ),
  reopen_rate: t(
    [
      "Tickets reopened (solved, then not solved again) out of tickets resolved in the period.",
      "resolved tickets reopened at least once ÷ resolved tickets × 100",
    ],
    [
      "التذاكر التي أُعيد فتحها (حُلّت ثم عادت غير محلولة) من التذاكر المحلولة في الفترة.",
      "التذاكر المحلولة التي أُعيد فتحها مرة على الأقل ÷ التذاكر المحلولة × ١٠٠",
    ],
    ["تیکت‌هایی که بازگشایی شده‌اند (حل‌شده و دوباره باز) از تیکت‌های حل‌شده در دوره.", "تیکت‌های حل‌شده‌ای که دست‌کم یک بار بازگشایی شده‌اند ÷ تیکت‌های حل‌شده × ۱۰۰"],
    ["本期已解決工單中被重新開啟（解決後又變回未解決）的比例。", "至少重開一次的已解決工單 ÷ 已解決工單 × 100"],
  ),
  interactions_per_ticket: t(
    ["Replies by human agents plus transfers, per ticket solved in the period.", "(Σ agent replies + Σ transfers) ÷ tickets"],
    ["ردود الوكلاء البشريين مضافًا إليها التحويلات بين الوكلاء، لكل تذكرة محلولة في الفترة.", "(Σ ردود الوكلاء + Σ التحويلات) ÷ التذاكر"],
    ["پاسخ‌های کارشناسان به‌علاوه‌ی ارجاع‌ها، به ازای هر تیکت حل‌شده در دوره.", "(Σ پاسخ کارشناس + Σ ارجاع) ÷ تیکت‌ها"],
    ["每張本期已解決工單的真人客服回覆數加轉接數。", "（Σ 客服回覆 + Σ 轉接）÷ 工單數"],
  ),
  "interactions_per_ticket.replies": t(
    ["Replies by human agents per ticket solved in the period.", "Σ agent replies ÷ tickets"],
    ["ردود الوكلاء البشريين لكل تذكرة محلولة في الفترة.", "Σ ردود الوكلاء ÷ التذاكر"],
    ["پاسخ‌های کارشناسان به ازای هر تیکت حل‌شده در دوره.", "Σ پاسخ کارشناس ÷ تیکت‌ها"],
    ["每張本期已解決工單的真人客服回覆數。", "Σ 客服回覆 ÷ 工單數"],
  ),
  "interactions_per_ticket.transfers": t(
    [
      "Changes of assigned agent or team after the first assignment, per ticket solved in the period: customers dislike repeating themselves.",
      "Σ transfers ÷ tickets",
    ],
    ["تغييرات الوكيل أو الفريق المُسند بعد الإسناد الأول، لكل تذكرة محلولة في الفترة: العملاء يكرهون تكرار مشكلتهم.", "Σ التحويلات بين الوكلاء ÷ التذاكر"],
    ["تغییر کارشناس یا تیم پس از اولین واگذاری، به ازای هر تیکت حل‌شده در دوره: مشتری از تکرار مشکلش بیزار است.", "Σ ارجاع‌ها ÷ تیکت‌ها"],
    ["首次指派後更換客服或團隊的次數，按本期已解決工單平均：客戶不喜歡重複說明問題。", "Σ 轉接 ÷ 工單數"],
  ),
  next_issue_avoidance: t(
    [
      "Share of solved tickets whose customer does not open another ticket (any topic, or the same topic — configurable) within N days (7 unless set otherwise). It is 100 minus the repeat-contact rate.",
      "solved tickets without a repeat contact within N days ÷ solved tickets × 100",
    ],
    [
      "نسبة التذاكر المحلولة التي لم يفتح عميلها تذكرة أخرى (أي موضوع أو الموضوع نفسه، حسب الإعداد) خلال N يومًا (٧ افتراضيًا). تساوي ١٠٠ ناقص معدل التواصل المتكرر.",
      "التذاكر المحلولة دون تواصل متكرر خلال N يومًا ÷ التذاكر المحلولة × ١٠٠",
    ],
    [
      "سهم تیکت‌های حل‌شده‌ای که مشتری‌شان ظرف N روز (پیش‌فرض ۷) تیکت دیگری (هر موضوع یا همان موضوع، قابل تنظیم) باز نکرده است؛ برابر ۱۰۰ منهای نرخ تماس مجدد.",
      "تیکت‌های حل‌شده بدون تماس مجدد ظرف N روز ÷ تیکت‌های حل‌شده × ۱۰۰",
    ],
    [
      "已解決工單中，客戶在 N 天內（預設 7 天）沒有再開新工單（任何主題或同一主題，可設定）的比例；等於 100 減去重複聯繫率。",
      "N 天內無重複聯繫的已解決工單 ÷ 已解決工單 × 100",
    ],
  ),
  abandonment_rate: t(
    [
      "Calls and chats the customer left before being answered, out of offered contacts; group by step to see where (IVR, queue, transfer). Very short abandons are excluded.",
      "abandoned contacts ÷ offered contacts × 100",
    ],
    [
      "المكالمات والمحادثات التي تركها العميل قبل الرد عليها من الاتصالات الواردة؛ جمّعها حسب المرحلة لترى أين (الرد الآلي، قائمة الانتظار، التحويل). يُستبعد التخلي القصير جدًا.",
      "الاتصالات المتروكة ÷ الاتصالات الواردة × ١٠٠",
    ],
    [
      "تماس‌ها و چت‌هایی که مشتری پیش از پاسخ رها کرده، از تماس‌های ورودی؛ با گروه‌بندی بر اساس مرحله ببینید کجا (منوی صوتی، صف، انتقال). رها کردن‌های خیلی کوتاه کنار گذاشته می‌شوند.",
      "تماس‌های رهاشده ÷ تماس‌های ورودی × ۱۰۰",
    ],
    ["客戶在接聽前放棄的電話與聊天占進線的比例；依階段分組可看出在哪裡放棄（語音選單、排隊、轉接）。極短的放棄不計。", "放棄的聯繫 ÷ 進線聯繫 × 100"],
  ),
  sla_compliance: t(
    [
      "Share of SLA targets met (first reply, next replies, resolution) under the policy matching each ticket by priority, channel and team, in business or calendar hours, with the clock paused while the ticket waits on the customer.",
      "targets met ÷ targets measured × 100",
    ],
    [
      "نسبة أهداف اتفاقية مستوى الخدمة المُحققة (الرد الأول، الردود التالية، الحل) وفق السياسة المطابقة لكل تذكرة حسب الأولوية والقناة والفريق، بساعات العمل أو الساعات التقويمية، مع إيقاف العدّ أثناء انتظار العميل.",
      "الأهداف المُحققة ÷ الأهداف المقيسة × ١٠٠",
    ],
    [
      "سهم اهداف SLA که برآورده شده‌اند (اولین پاسخ، پاسخ‌های بعدی، حل) طبق سیاستی که بر اساس اولویت، کانال و تیم با هر تیکت جور است، در ساعت کاری یا تقویمی، با توقف زمان وقتی تیکت منتظر مشتری است.",
      "اهداف برآورده‌شده ÷ اهداف سنجیده‌شده × ۱۰۰",
    ],
    [
      "依優先級、管道與團隊對應到每張工單的 SLA 政策，達成目標（首次回覆、後續回覆、解決）的比例，以營業時間或日曆時間計，等待客戶期間暫停計時。",
      "達成的目標 ÷ 衡量的目標 × 100",
    ],
  ),
  "sla_compliance.first_reply": t(
    ["First-reply targets met, out of first replies measured under an SLA policy.", "first replies within target ÷ first replies with a target × 100"],
    ["أهداف الرد الأول المُحققة من الردود الأولى المقيسة ضمن سياسة مستوى الخدمة.", "الردود الأولى ضمن الهدف ÷ الردود الأولى التي لها هدف × ١٠٠"],
    ["اهداف اولین پاسخ که برآورده شده‌اند، از اولین پاسخ‌های سنجیده‌شده زیر یک سیاست SLA.", "اولین پاسخ‌های در هدف ÷ اولین پاسخ‌های دارای هدف × ۱۰۰"],
    ["在 SLA 政策下衡量的首次回覆中，達成目標的比例。", "目標內的首次回覆 ÷ 有目標的首次回覆 × 100"],
  ),
  "sla_compliance.resolution": t(
    ["Resolution targets met, out of resolutions measured under an SLA policy.", "resolutions within target ÷ resolutions with a target × 100"],
    ["أهداف الحل المُحققة من حالات الحل المقيسة ضمن سياسة مستوى الخدمة.", "الحلول ضمن الهدف ÷ الحلول التي لها هدف × ١٠٠"],
    ["اهداف حل که برآورده شده‌اند، از حل‌های سنجیده‌شده زیر یک سیاست SLA.", "حل‌های در هدف ÷ حل‌های دارای هدف × ۱۰۰"],
    ["在 SLA 政策下衡量的解決中，達成目標的比例。", "目標內的解決 ÷ 有目標的解決 × 100"],
  ),
  backlog: t(
    [
      "Unresolved tickets at the end of each bucket (or of the range), from the status history; “aged” counts those open longer than the backlog threshold (24 h unless set otherwise).",
      "tickets in a non-solved status at that instant",
    ],
    [
      "التذاكر غير المحلولة في نهاية كل فترة (أو نهاية النطاق) من سجل الحالات؛ «المتقادمة» هي المفتوحة أطول من حد التراكم (٢٤ ساعة افتراضيًا).",
      "التذاكر في حالة غير محلولة في تلك اللحظة",
    ],
    [
      "تیکت‌های حل‌نشده در پایان هر بازه (یا پایان دوره)، از تاریخچه‌ی وضعیت؛ «کهنه» تیکت‌هایی است که بیش از آستانه (پیش‌فرض ۲۴ ساعت) باز مانده‌اند.",
      "تیکت‌های در وضعیت حل‌نشده در آن لحظه",
    ],
    ["每個時段（或整個範圍）結束時未解決的工單，依狀態歷史計算；「逾期」指開啟超過積壓門檻（預設 24 小時）者。", "該時刻處於未解決狀態的工單數"],
  ),
  ticket_volume: t(
    [
      "Tickets created in the period; buckets more than 50% above or below the mean of the four before them are flagged as spikes or drops.",
      "count of tickets created",
    ],
    ["التذاكر المُنشأة في الفترة؛ تُعلَّم الفترات التي تزيد أو تقل أكثر من ٥٠٪ عن متوسط الأربع السابقة كقفزة أو هبوط.", "عدد التذاكر المُنشأة"],
    ["تیکت‌های ایجادشده در دوره؛ بازه‌هایی که بیش از ۵۰٪ بالاتر یا پایین‌تر از میانگین چهار بازه‌ی قبل باشند، جهش یا افت علامت می‌خورند.", "تعداد تیکت‌های ایجادشده"],
    ["本期建立的工單；比前四個時段平均高或低超過 50% 的時段會標示為暴增或驟降。", "建立的工單數"],
  ),
  average_ticket_count: t(
    ["Mean tickets created per day (or per bucket of the chosen grain) over the range.", "tickets created ÷ days (or buckets) in the range"],
    ["متوسط التذاكر المُنشأة يوميًا (أو لكل فترة من الدقة المختارة) على النطاق.", "التذاكر المُنشأة ÷ الأيام (أو الفترات) في النطاق"],
    ["میانگین تیکت‌های ایجادشده در روز (یا در هر بازه‌ی انتخابی) در طول دوره.", "تیکت‌های ایجادشده ÷ روزها (یا بازه‌ها) در دوره"],
    ["範圍內每日（或每個所選時段）平均建立的工單數。", "建立的工單 ÷ 範圍內天數（或時段數）"],
  ),
  tickets_solved: t(
    ["Tickets solved or closed in the period, per working day of the business calendar.", "tickets solved ÷ working days"],
    ["التذاكر المحلولة أو المغلقة في الفترة لكل يوم عمل في تقويم العمل.", "التذاكر المحلولة ÷ أيام العمل"],
    ["تیکت‌های حل یا بسته‌شده در دوره، به ازای هر روز کاری تقویم کاری.", "تیکت‌های حل‌شده ÷ روزهای کاری"],
    ["本期已解決或已關閉的工單，按營業日曆的每個工作日計。", "已解決工單 ÷ 工作日數"],
  ),
  preferred_channel: t(
    ["Share of tickets by channel.", "tickets of the channel ÷ all tickets × 100"],
    ["نسبة التذاكر حسب القناة.", "تذاكر القناة ÷ كل التذاكر × ١٠٠"],
    ["سهم تیکت‌ها به تفکیک کانال.", "تیکت‌های کانال ÷ همه‌ی تیکت‌ها × ۱۰۰"],
    ["各管道占工單的比例。", "該管道工單 ÷ 全部工單 × 100"],
  ),
  cases_by_topic: t(
    [
      "Tickets per topic per bucket, with the change from the previous bucket; each topic also shows its mean resolution time beside the overall mean.",
      "tickets created, by topic; change = (this − previous) ÷ previous × 100",
    ],
    [
      "التذاكر لكل موضوع في كل فترة مع التغيّر عن الفترة السابقة؛ ويظهر لكل موضوع متوسط وقت الحل بجانب المتوسط العام.",
      "التذاكر المُنشأة حسب الموضوع؛ التغيّر = (الحالية − السابقة) ÷ السابقة × ١٠٠",
    ],
    [
      "تیکت‌ها به تفکیک موضوع در هر بازه، با تغییر نسبت به بازه‌ی قبل؛ برای هر موضوع میانگین زمان حل کنار میانگین کل آمده است.",
      "تیکت‌های ایجادشده به تفکیک موضوع؛ تغییر = (این − قبلی) ÷ قبلی × ۱۰۰",
    ],
    ["每個時段各主題的工單數與相較前一時段的變化；各主題另列平均解決時間與整體平均比較。", "依主題建立的工單；變化 =（本期 − 前期）÷ 前期 × 100"],
  ),
  csat: t(
    [
      "Satisfied answers (4 or 5 of 5, the top two on longer scales, thumbs up) out of all answers, with its 95% confidence interval and the response rate.",
      "satisfied answers ÷ answers × 100",
    ],
    [
      "الإجابات الراضية (٤ أو ٥ من ٥، أو الأعلى درجتين في المقاييس الأطول، أو إعجاب) من كل الإجابات، مع فاصل الثقة ٩٥٪ ومعدل الاستجابة.",
      "الإجابات الراضية ÷ الإجابات × ١٠٠",
    ],
    ["پاسخ‌های راضی (۴ یا ۵ از ۵، دو گزینه‌ی بالا در مقیاس‌های بلندتر، پسندیدن) از همه‌ی پاسخ‌ها، با بازه‌ی اطمینان ۹۵٪ و نرخ پاسخ.", "پاسخ‌های راضی ÷ پاسخ‌ها × ۱۰۰"],
    ["滿意的回答（5 分制的 4 或 5 分、較長量表的最高兩級、按讚）占全部回答的比例，附 95% 信賴區間與回覆率。", "滿意的回答 ÷ 回答數 × 100"],
  ),
  "csat.response_rate": t(
    ["Satisfaction surveys answered, out of those sent.", "answered ÷ sent × 100"],
    ["استطلاعات الرضا المُجاب عنها من المُرسلة.", "المُجاب عنها ÷ المُرسلة × ١٠٠"],
    ["نظرسنجی‌های رضایت پاسخ‌داده از ارسال‌شده‌ها.", "پاسخ‌داده ÷ ارسال‌شده × ۱۰۰"],
    ["已回覆的滿意度調查占已寄出的比例。", "已回覆 ÷ 已寄出 × 100"],
  ),
  nps: t(
    [
      "0–10 scale: promoters 9–10, passives 7–8, detractors 0–6. NPS = % promoters − % detractors (−100 to 100), with its 95% margin of error; detractors and passives are listed for follow-up.",
      "(promoters − detractors) ÷ answers × 100",
    ],
    [
      "مقياس ٠–١٠: المروّجون ٩–١٠، المحايدون ٧–٨، المنتقدون ٠–٦. صافي نقاط الترويج = ٪ المروّجين − ٪ المنتقدين (−١٠٠ إلى ١٠٠)، مع هامش الخطأ ٩٥٪؛ ويُدرج المنتقدون والمحايدون للمتابعة.",
      "(المروّجون − المنتقدون) ÷ الإجابات × ١٠٠",
    ],
    [
      "مقیاس ۰ تا ۱۰: ترویج‌کنندگان ۹–۱۰، بی‌طرف‌ها ۷–۸، منتقدان ۰–۶. NPS = درصد ترویج‌کنندگان − درصد منتقدان (−۱۰۰ تا ۱۰۰)، با حاشیه‌ی خطای ۹۵٪؛ منتقدان و بی‌طرف‌ها برای پیگیری فهرست می‌شوند.",
      "(ترویج‌کنندگان − منتقدان) ÷ پاسخ‌ها × ۱۰۰",
    ],
    [
      "0–10 分量表：推薦者 9–10、中立者 7–8、批評者 0–6。NPS = 推薦者 % − 批評者 %（−100 至 100），附 95% 誤差範圍；批評者與中立者會列出以便追蹤。",
      "（推薦者 − 批評者）÷ 回答數 × 100",
    ],
  ),
  ces: t(
    [
      "Mean of the effort answers on their scale. When the question asks how much effort it took, lower is better; when it asks whether it was easy, higher is better (a workspace setting).",
      "Σ scores ÷ answers",
    ],
    [
      "متوسط إجابات الجهد على مقياسها. إذا سأل السؤال عن مقدار الجهد فالأقل أفضل، وإذا سأل عن السهولة فالأعلى أفضل (إعداد في مساحة العمل).",
      "Σ الدرجات ÷ الإجابات",
    ],
    [
      "میانگین پاسخ‌های تلاش روی مقیاس خودشان. اگر سؤال بپرسد چقدر زحمت کشیدید کمتر بهتر است؛ اگر بپرسد آسان بود، بیشتر بهتر است (تنظیم فضای کاری).",
      "Σ امتیازها ÷ پاسخ‌ها",
    ],
    ["費力程度回答在其量表上的平均。若問題問「花了多少力氣」則越低越好；若問「是否容易」則越高越好（工作區設定）。", "Σ 分數 ÷ 回答數"],
  ),
  cx_score: t(
    [
      "Weighted mean of the experience survey answers, normalized to 0–100 (weights per question in the settings); group by touchpoint.",
      "Σ weight × normalized score ÷ Σ weight × 100",
    ],
    [
      "المتوسط المرجّح لإجابات استطلاع التجربة بعد تحويلها إلى ٠–١٠٠ (أوزان الأسئلة في الإعدادات)؛ جمّعها حسب نقطة التواصل.",
      "Σ الوزن × الدرجة المعيارية ÷ Σ الأوزان × ١٠٠",
    ],
    [
      "میانگین وزنی پاسخ‌های نظرسنجی تجربه، نرمال‌شده به ۰ تا ۱۰۰ (وزن هر سؤال در تنظیمات)؛ بر اساس نقطه‌ی تماس گروه‌بندی کنید.",
      "Σ وزن × امتیاز نرمال‌شده ÷ Σ وزن × ۱۰۰",
    ],
    ["體驗調查回答正規化為 0–100 後的加權平均（各題權重在設定中）；可依接觸點分組。", "Σ 權重 × 正規化分數 ÷ Σ 權重 × 100"],
  ),
  social_promoter_score: t(
    ["Of respondents asked whether they recommended us: the share who did.", "respondents who recommended ÷ respondents × 100"],
    ["من المستجيبين الذين سُئلوا هل أوصوا بنا: نسبة من فعلوا.", "المستجيبون الذين أوصوا ÷ المستجيبون × ١٠٠"],
    ["از پاسخ‌دهندگانی که پرسیده شد ما را توصیه کرده‌اند یا نه: سهم کسانی که توصیه کرده‌اند.", "پاسخ‌دهندگان توصیه‌کننده ÷ پاسخ‌دهندگان × ۱۰۰"],
    ["被問到是否推薦過我們的受訪者中，確實推薦的比例。", "有推薦的受訪者 ÷ 受訪者 × 100"],
  ),
  "social_promoter_score.conversion": t(
    ["Recommendations that led to new business, out of recommendations.", "converted referrals ÷ referrals × 100"],
    ["التوصيات التي جلبت أعمالًا جديدة من كل التوصيات.", "التوصيات المتحولة إلى مبيعات ÷ التوصيات × ١٠٠"],
    ["توصیه‌هایی که به فروش تازه رسیده‌اند، از کل توصیه‌ها.", "توصیه‌های منجر به فروش ÷ توصیه‌ها × ۱۰۰"],
    ["帶來新業務的推薦占全部推薦的比例。", "成交的推薦 ÷ 推薦數 × 100"],
  ),
  employee_experience: t(
    [
      "The agents' own survey: an NPS-style score on whether they would recommend working here (−100 to 100).",
      "% promoters − % detractors among agents' answers",
    ],
    ["استطلاع الوكلاء أنفسهم: درجة على نمط صافي نقاط الترويج لمدى توصيتهم بالعمل هنا (−١٠٠ إلى ١٠٠).", "٪ المروّجين − ٪ المنتقدين في إجابات الوكلاء"],
    [
      "نظرسنجی خود کارشناسان: امتیازی به سبک NPS درباره‌ی اینکه کار کردن اینجا را توصیه می‌کنند یا نه (−۱۰۰ تا ۱۰۰).",
      "درصد ترویج‌کنندگان − درصد منتقدان در پاسخ‌های کارشناسان",
    ],
    ["客服人員自己的調查：是否會推薦在此工作的 NPS 式分數（−100 至 100）。", "客服回答中推薦者 % − 批評者 %"],
  ),
  customer_retention_rate: t(
    ["Customers at the end of the period, minus new customers of the period, out of customers at its start.", "(end − new) ÷ start × 100"],
    ["العملاء في نهاية الفترة ناقص العملاء الجدد فيها، من العملاء في بدايتها.", "(النهاية − الجدد) ÷ البداية × ١٠٠"],
    ["مشتریان پایان دوره منهای مشتریان تازه‌ی دوره، از مشتریان آغاز دوره.", "(پایان − تازه) ÷ آغاز × ۱۰۰"],
    ["期末客戶數減去本期新客戶，占期初客戶數的比例。", "（期末 − 新增）÷ 期初 × 100"],
  ),
  customer_churn_rate: t(
    [
      "Customers active at the start of the period who left during it, out of customers at its start. The net change (start − end) ÷ start is given beside it.",
      "customers lost among those active at the start ÷ active at the start × 100",
    ],
    [
      "العملاء النشطون في بداية الفترة الذين غادروا خلالها من عملاء البداية. ويُعرض التغيّر الصافي (البداية − النهاية) ÷ البداية بجانبه.",
      "المغادرون من نشطي البداية ÷ نشطو البداية × ١٠٠",
    ],
    [
      "مشتریان فعال آغاز دوره که در طول آن رفته‌اند، از مشتریان آغاز دوره. تغییر خالص (آغاز − پایان) ÷ آغاز کنار آن آمده است.",
      "رفته‌ها از فعالان آغاز ÷ فعالان آغاز × ۱۰۰",
    ],
    ["期初活躍客戶中於本期流失者占期初客戶的比例；旁邊另列淨變化（期初 − 期末）÷ 期初。", "期初活躍客戶中流失者 ÷ 期初活躍客戶 × 100"],
  ),
  repeat_purchase_rate: t(
    [
      "Customers with a second (or later) purchase by the end of the period, out of customers with a purchase by then.",
      "customers with ≥ 2 purchases ÷ customers with ≥ 1 purchase × 100",
    ],
    [
      "العملاء الذين لديهم عملية شراء ثانية (أو أكثر) بنهاية الفترة من العملاء الذين اشتروا حتى حينها.",
      "العملاء بعمليتي شراء أو أكثر ÷ العملاء بعملية شراء أو أكثر × ١٠٠",
    ],
    ["مشتریانی که تا پایان دوره خرید دوم (یا بیشتر) داشته‌اند، از مشتریانی که تا آن زمان خرید کرده‌اند.", "مشتریان با ≥ ۲ خرید ÷ مشتریان با ≥ ۱ خرید × ۱۰۰"],
    ["到期末有第二次（或更多）購買的客戶，占到期末有購買的客戶比例。", "購買 ≥ 2 次的客戶 ÷ 購買 ≥ 1 次的客戶 × 100"],
  ),
  upsell_cross_sell: t(
    ["Solved tickets followed by a sale attributed to them, out of tickets solved in the period.", "purchases attributed to a ticket ÷ tickets solved × 100"],
    ["التذاكر المحلولة التي تلتها عملية بيع منسوبة إليها من التذاكر المحلولة في الفترة.", "المشتريات المنسوبة إلى تذكرة ÷ التذاكر المحلولة × ١٠٠"],
    ["تیکت‌های حل‌شده‌ای که فروشی به آن‌ها نسبت داده شده، از تیکت‌های حل‌شده در دوره.", "خریدهای منسوب به تیکت ÷ تیکت‌های حل‌شده × ۱۰۰"],
    ["之後有歸因銷售的已解決工單占本期已解決工單的比例。", "歸因於工單的購買 ÷ 已解決工單 × 100"],
  ),
  self_service_usage: t(
    ["Help-center sessions per period, with searches, article views and unique visitors beside it.", "count of help-center sessions"],
    ["جلسات مركز المساعدة في كل فترة، مع عمليات البحث ومشاهدات المقالات والزوار الفريدين.", "عدد جلسات مركز المساعدة"],
    ["نشست‌های مرکز راهنما در هر دوره، با جستجوها، بازدید مقاله‌ها و بازدیدکنندگان یکتا.", "تعداد نشست‌های مرکز راهنما"],
    ["每期說明中心的工作階段數，旁列搜尋次數、文章瀏覽與不重複訪客。", "說明中心工作階段數"],
  ),
  case_deflection: t(
    [
      "Help-center sessions not followed by a ticket from the same customer within N hours (24 unless set otherwise), out of help-center sessions.",
      "sessions without a ticket within N hours ÷ sessions × 100",
    ],
    [
      "جلسات مركز المساعدة التي لم يتبعها فتح تذكرة من العميل نفسه خلال N ساعة (٢٤ افتراضيًا)، من جلسات مركز المساعدة.",
      "الجلسات دون تذكرة خلال N ساعة ÷ الجلسات × ١٠٠",
    ],
    [
      "نشست‌های مرکز راهنما که ظرف N ساعت (پیش‌فرض ۲۴) تیکتی از همان مشتری به دنبال نداشته‌اند، از نشست‌های مرکز راهنما.",
      "نشست‌های بدون تیکت ظرف N ساعت ÷ نشست‌ها × ۱۰۰",
    ],
    ["說明中心工作階段中，同一客戶在 N 小時內（預設 24）沒有開工單的比例。", "N 小時內未開工單的工作階段 ÷ 工作階段 × 100"],
  ),
  bot_containment: t(
    ["Conversations a bot closed without a human, out of conversations a bot handled.", "bot-resolved conversations ÷ bot-handled conversations × 100"],
    [
      "المحادثات التي أغلقها الروبوت دون وكيل بشري من المحادثات التي تعامل معها الروبوت.",
      "المحادثات التي حلّها الروبوت ÷ المحادثات التي تعامل معها الروبوت × ١٠٠",
    ],
    ["گفتگوهایی که ربات بدون کارشناس بسته، از گفتگوهایی که ربات رسیدگی کرده است.", "گفتگوهای حل‌شده توسط ربات ÷ گفتگوهای رسیدگی‌شده توسط ربات × ۱۰۰"],
    ["機器人無需真人即結案的對話，占機器人處理對話的比例。", "機器人解決的對話 ÷ 機器人處理的對話 × 100"],
  ),
  employee_productivity: t(
    ["Tickets solved per working day of the business calendar, per agent when grouped by agent.", "tickets solved ÷ working days"],
    ["التذاكر المحلولة لكل يوم عمل في تقويم العمل، ولكل وكيل عند التجميع حسب الوكيل.", "التذاكر المحلولة ÷ أيام العمل"],
    ["تیکت‌های حل‌شده به ازای هر روز کاری، و به ازای هر کارشناس وقتی بر اساس کارشناس گروه‌بندی شود.", "تیکت‌های حل‌شده ÷ روزهای کاری"],
    ["每個工作日解決的工單數；依客服分組時為每位客服。", "已解決工單 ÷ 工作日數"],
  ),
};

/** "Counted in the period of …": the event that places a record in a period. */
export const ATTRIBUTION_TEXT: Record<string, Record<TextLang, string>> = {
  "time of the first reply": { en: "the first reply", ar: "الرد الأول", fa: "اولین پاسخ", "zh-Hant": "首次回覆的時間" },
  "time of the reply": { en: "the reply", ar: "الرد", fa: "پاسخ", "zh-Hant": "回覆的時間" },
  "time of the first resolution": { en: "the first resolution", ar: "الحل الأول", fa: "اولین حل", "zh-Hant": "首次解決的時間" },
  "time of the last resolution": { en: "the last resolution", ar: "الحل الأخير", fa: "آخرین حل", "zh-Hant": "最後解決的時間" },
  "time the contact was offered": { en: "when the contact came in", ar: "ورود الاتصال", fa: "ورود تماس", "zh-Hant": "進線的時間" },
  "time of creation": { en: "ticket creation", ar: "إنشاء التذكرة", fa: "ایجاد تیکت", "zh-Hant": "工單建立的時間" },
  "the instant at the end of the bucket": { en: "the end of each bucket", ar: "نهاية كل فترة", fa: "پایان هر بازه", "zh-Hant": "每個時段結束的時刻" },
  "time of the response": { en: "the survey answer", ar: "الإجابة على الاستطلاع", fa: "پاسخ نظرسنجی", "zh-Hant": "回答調查的時間" },
  "time the survey was sent": { en: "the survey being sent", ar: "إرسال الاستطلاع", fa: "ارسال نظرسنجی", "zh-Hant": "寄出調查的時間" },
  "customer creation and churn times": {
    en: "customer sign-up and departure",
    ar: "تسجيل العميل ومغادرته",
    fa: "پیوستن و ترک مشتری",
    "zh-Hant": "客戶加入與流失的時間",
  },
  "time of churn": { en: "the customer leaving", ar: "مغادرة العميل", fa: "ترک مشتری", "zh-Hant": "客戶流失的時間" },
  "purchase times up to the period end": {
    en: "purchases up to the end of the period",
    ar: "المشتريات حتى نهاية الفترة",
    fa: "خریدها تا پایان دوره",
    "zh-Hant": "至期末為止的購買",
  },
  "time of the purchase / resolution": { en: "the purchase or resolution", ar: "الشراء أو الحل", fa: "خرید یا حل", "zh-Hant": "購買或解決的時間" },
  "session start": { en: "the session start", ar: "بدء الجلسة", fa: "شروع نشست", "zh-Hant": "工作階段開始的時間" },
};

/**
 * Names the seed articles use for metrics, some machine-translated: a metric search finds a
 * metric by them, but they are never shown as its label.
 */
export const NAME_ALIASES: Record<string, string[]> = {
  first_response_time: ["第一反應時間", "首次回應時間", "اولین زمان پاسخ"],
  average_response_time: ["平均回复時間"],
  resolution_time: ["میانگین زمان وضوح بلیط"],
  "resolution_time.first": ["زمان اولین وضوح"],
  "resolution_time.full": ["زمان وضوح کامل"],
  first_contact_resolution: ["نرخ وضوح تماس اول"],
  resolution_rate: ["نرخ وضوح بلیط"],
  reopen_rate: ["門票重開率", "نرخ بازگشایی بلیط"],
  interactions_per_ticket: ["每個案例的交互次數", "تعداد تعاملات در هر بلیط"],
  next_issue_avoidance: ["下一期迴避 (NIA)"],
  backlog: ["عقب ماندگی بلیط"],
  ticket_volume: ["票務量", "حجم بلیط"],
  average_ticket_count: ["میانگین تعداد بلیط"],
  tickets_solved: ["門票已解決", "بلیط‌های حل‌شده"],
  cases_by_topic: ["主題案例"],
  case_deflection: ["معدل تحويل الحالات", "نرخ انحراف پرونده"],
  preferred_channel: ["首選溝通渠道"],
};

/** A metric's definition and formula in a language; undefined when the table has none. */
export function catalogText(id: string, lang: TextLang): Text | undefined {
  return CATALOG_TEXT[id]?.[lang];
}

/** "Counted in the period of …" in a language (the catalog's English when the table has none). */
export function attributionText(attribution: string, lang: TextLang): string {
  return ATTRIBUTION_TEXT[attribution]?.[lang] ?? attribution;
}
