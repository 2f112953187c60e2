"""The shipped texts of every automatic message, in all eight languages.

They are seeded into :class:`~willkommen.messaging.models.MessageTemplate` rows (editable in the
admin, versioned) by ``seed_templates``; the rendering also falls back to them when an
authority has no rows yet. Placeholders are written in curly braces; ``PLACEHOLDERS`` lists those
every language version of a template must contain (a test enforces it).
"""

LANGUAGES = ["de", "en", "ar", "fa", "tr", "uk", "ru", "fr"]

PLACEHOLDERS = {
    "booking_confirmation": ["name", "date", "time", "place", "reference"],
    "reminder": ["name", "date", "time", "place"],
    "receipt": ["name", "case_number", "anliegen", "date"],
    "document_request": ["name", "case_number", "documents", "deadline"],
    "interim_answer": ["name", "case_number"],
    "status_message": ["name", "case_number", "status"],
    "invitation": ["name", "date", "time", "place", "anliegen"],
    "decision_notice": ["name", "case_number", "link"],
}

# Messages with legal weight carry the German text below the translation.
GERMAN_BELOW = {"document_request", "invitation", "decision_notice"}

SAMPLE_CONTEXT = {
    "name": "Olena Kovalenko",
    "date": "15.03.2027",
    "time": "09:30",
    "place": "Marktplatz 1, Raum 2.14",
    "reference": "T-4711",
    "case_number": "ABH-2027-000042",
    "anliegen": "Aufenthaltserlaubnis",
    "documents": "Reisepass, Mietvertrag",
    "deadline": "30.03.2027",
    "status": "in Bearbeitung",
    "link": "https://example.invalid/messages/",
}

# key -> language -> (subject, body)
TEXTS = {
    "booking_confirmation": {
        "de": (
            "Terminbestätigung {reference}",
            "Guten Tag {name},\n\nIhr Termin ist gebucht: {date} um {time}, {place}.\n"
            "Ihre Buchungsnummer: {reference}. Bitte bringen Sie die Unterlagen von Ihrer Checkliste mit.",
        ),
        "en": (
            "Appointment confirmed {reference}",
            "Hello {name},\n\nYour appointment is booked: {date} at {time}, {place}.\n"
            "Your booking number: {reference}. Please bring the documents on your checklist.",
        ),
        "ar": (
            "تأكيد الموعد {reference}",
            "مرحباً {name}،\n\nتم حجز موعدك: {date} الساعة {time}، {place}.\n"
            "رقم الحجز: {reference}. يرجى إحضار المستندات المذكورة في قائمتك.",
        ),
        "fa": (
            "تأیید وقت ملاقات {reference}",
            "سلام {name}،\n\nوقت شما رزرو شد: {date} ساعت {time}، {place}.\n"
            "شماره رزرو: {reference}. لطفاً مدارک فهرست خود را همراه بیاورید.",
        ),
        "tr": (
            "Randevu onayı {reference}",
            "Merhaba {name},\n\nRandevunuz alındı: {date}, saat {time}, {place}.\n"
            "Rezervasyon numaranız: {reference}. Lütfen kontrol listenizdeki belgeleri getirin.",
        ),
        "uk": (
            "Підтвердження запису {reference}",
            "Добрий день, {name}!\n\nВаш запис підтверджено: {date} о {time}, {place}.\n"
            "Номер запису: {reference}. Будь ласка, візьміть документи з вашого списку.",
        ),
        "ru": (
            "Подтверждение записи {reference}",
            "Здравствуйте, {name}!\n\nВаша запись подтверждена: {date} в {time}, {place}.\n"
            "Номер записи: {reference}. Пожалуйста, возьмите документы из вашего списка.",
        ),
        "fr": (
            "Confirmation de rendez-vous {reference}",
            "Bonjour {name},\n\nVotre rendez-vous est réservé : {date} à {time}, {place}.\n"
            "Votre numéro de réservation : {reference}. Veuillez apporter les documents de votre liste.",
        ),
    },
    "reminder": {
        "de": (
            "Erinnerung an Ihren Termin",
            "Guten Tag {name},\n\nwir erinnern Sie an Ihren Termin am {date} um {time}, {place}.",
        ),
        "en": (
            "Reminder of your appointment",
            "Hello {name},\n\nthis is a reminder of your appointment on {date} at {time}, {place}.",
        ),
        "ar": ("تذكير بموعدك", "مرحباً {name}،\n\nنذكّرك بموعدك في {date} الساعة {time}، {place}."),
        "fa": ("یادآوری وقت ملاقات", "سلام {name}،\n\nوقت ملاقات شما در {date} ساعت {time}، {place} است."),
        "tr": (
            "Randevu hatırlatması",
            "Merhaba {name},\n\n{date} tarihinde saat {time} randevunuzu hatırlatırız: {place}.",
        ),
        "uk": ("Нагадування про запис", "Добрий день, {name}!\n\nНагадуємо про ваш запис {date} о {time}, {place}."),
        "ru": ("Напоминание о записи", "Здравствуйте, {name}!\n\nНапоминаем о вашей записи {date} в {time}, {place}."),
        "fr": (
            "Rappel de votre rendez-vous",
            "Bonjour {name},\n\nnous vous rappelons votre rendez-vous le {date} à {time}, {place}.",
        ),
    },
    "receipt": {
        "de": (
            "Eingangsbestätigung {case_number}",
            "Guten Tag {name},\n\nIhr Antrag ({anliegen}) ist am {date} eingegangen. Ihr Aktenzeichen: {case_number}.",
        ),
        "en": (
            "Receipt {case_number}",
            "Hello {name},\n\nwe received your application ({anliegen}) on {date}. Your case number: {case_number}.",
        ),
        "ar": (
            "إيصال استلام {case_number}",
            "مرحباً {name}،\n\nاستلمنا طلبك ({anliegen}) بتاريخ {date}. رقم ملفك: {case_number}.",
        ),
        "fa": (
            "رسید دریافت {case_number}",
            "سلام {name}،\n\nدرخواست شما ({anliegen}) در {date} دریافت شد. شماره پرونده: {case_number}.",
        ),
        "tr": (
            "Alındı belgesi {case_number}",
            "Merhaba {name},\n\nbaşvurunuz ({anliegen}) {date} tarihinde alındı. Dosya numaranız: {case_number}.",
        ),
        "uk": (
            "Підтвердження отримання {case_number}",
            "Добрий день, {name}!\n\nВашу заяву ({anliegen}) отримано {date}. Номер справи: {case_number}.",
        ),
        "ru": (
            "Подтверждение получения {case_number}",
            "Здравствуйте, {name}!\n\nВаше заявление ({anliegen}) получено {date}. Номер дела: {case_number}.",
        ),
        "fr": (
            "Accusé de réception {case_number}",
            "Bonjour {name},\n\nnous avons reçu votre demande ({anliegen}) le {date}. Votre numéro de dossier : {case_number}.",
        ),
    },
    "document_request": {
        "de": (
            "Bitte reichen Sie Unterlagen nach ({case_number})",
            "Guten Tag {name},\n\nfür Ihr Verfahren {case_number} benötigen wir noch: {documents}.\n"
            "Bitte reichen Sie die Unterlagen bis zum {deadline} ein.",
        ),
        "en": (
            "Please send documents ({case_number})",
            "Hello {name},\n\nfor your case {case_number} we still need: {documents}.\nPlease send them by {deadline}.",
        ),
        "ar": (
            "يرجى تقديم مستندات ({case_number})",
            "مرحباً {name}،\n\nلملفك {case_number} نحتاج أيضاً إلى: {documents}.\nيرجى تقديمها قبل {deadline}.",
        ),
        "fa": (
            "لطفاً مدارک را ارسال کنید ({case_number})",
            "سلام {name}،\n\nبرای پرونده {case_number} هنوز به این مدارک نیاز داریم: {documents}.\nلطفاً تا {deadline} ارسال کنید.",
        ),
        "tr": (
            "Lütfen belge gönderin ({case_number})",
            "Merhaba {name},\n\n{case_number} dosyanız için hâlâ şunlara ihtiyacımız var: {documents}.\nLütfen {deadline} tarihine kadar gönderin.",
        ),
        "uk": (
            "Будь ласка, надайте документи ({case_number})",
            "Добрий день, {name}!\n\nДля справи {case_number} нам ще потрібні: {documents}.\nБудь ласка, надайте їх до {deadline}.",
        ),
        "ru": (
            "Пожалуйста, предоставьте документы ({case_number})",
            "Здравствуйте, {name}!\n\nДля дела {case_number} нам ещё нужны: {documents}.\nПожалуйста, предоставьте их до {deadline}.",
        ),
        "fr": (
            "Merci d'envoyer des documents ({case_number})",
            "Bonjour {name},\n\npour votre dossier {case_number}, il nous manque : {documents}.\nMerci de les envoyer avant le {deadline}.",
        ),
    },
    "interim_answer": {
        "de": (
            "Zwischennachricht {case_number}",
            "Guten Tag {name},\n\nIhr Verfahren {case_number} ist in Bearbeitung. Wir melden uns, sobald es Neuigkeiten gibt.",
        ),
        "en": (
            "Interim answer {case_number}",
            "Hello {name},\n\nwe are working on your case {case_number}. We will contact you as soon as there is news.",
        ),
        "ar": (
            "رد مؤقت {case_number}",
            "مرحباً {name}،\n\nملفك {case_number} قيد المعالجة. سنتواصل معك عند وجود مستجدات.",
        ),
        "fa": (
            "پاسخ موقت {case_number}",
            "سلام {name}،\n\nپرونده {case_number} در حال بررسی است. به محض خبر جدید با شما تماس می‌گیریم.",
        ),
        "tr": (
            "Ara bilgi {case_number}",
            "Merhaba {name},\n\n{case_number} dosyanız işleme alınmıştır. Yeni bir gelişme olduğunda size bilgi vereceğiz.",
        ),
        "uk": (
            "Проміжна відповідь {case_number}",
            "Добрий день, {name}!\n\nВаша справа {case_number} в роботі. Ми повідомимо вас, щойно будуть новини.",
        ),
        "ru": (
            "Промежуточный ответ {case_number}",
            "Здравствуйте, {name}!\n\nВаше дело {case_number} в работе. Мы сообщим вам, как только будут новости.",
        ),
        "fr": (
            "Réponse intermédiaire {case_number}",
            "Bonjour {name},\n\nvotre dossier {case_number} est en cours de traitement. Nous vous contacterons dès qu'il y aura du nouveau.",
        ),
    },
    "status_message": {
        "de": (
            "Stand Ihres Verfahrens {case_number}",
            "Guten Tag {name},\n\nneuer Stand Ihres Verfahrens {case_number}: {status}.",
        ),
        "en": (
            "Status of your case {case_number}",
            "Hello {name},\n\nnew status of your case {case_number}: {status}.",
        ),
        "ar": ("حالة ملفك {case_number}", "مرحباً {name}،\n\nالحالة الجديدة لملفك {case_number}: {status}."),
        "fa": ("وضعیت پرونده {case_number}", "سلام {name}،\n\nوضعیت جدید پرونده {case_number}: {status}."),
        "tr": ("Dosyanızın durumu {case_number}", "Merhaba {name},\n\n{case_number} dosyanızın yeni durumu: {status}."),
        "uk": (
            "Стан вашої справи {case_number}",
            "Добрий день, {name}!\n\nНовий стан вашої справи {case_number}: {status}.",
        ),
        "ru": (
            "Статус вашего дела {case_number}",
            "Здравствуйте, {name}!\n\nНовый статус вашего дела {case_number}: {status}.",
        ),
        "fr": (
            "État de votre dossier {case_number}",
            "Bonjour {name},\n\nnouvel état de votre dossier {case_number} : {status}.",
        ),
    },
    "invitation": {
        "de": (
            "Einladung zu einem Termin",
            "Guten Tag {name},\n\nbitte kommen Sie am {date} um {time} zu uns: {place}.\nAnliegen: {anliegen}.",
        ),
        "en": (
            "Invitation to an appointment",
            "Hello {name},\n\nplease come to us on {date} at {time}: {place}.\nMatter: {anliegen}.",
        ),
        "ar": (
            "دعوة إلى موعد",
            "مرحباً {name}،\n\nيرجى الحضور إلينا في {date} الساعة {time}: {place}.\nالموضوع: {anliegen}.",
        ),
        "fa": (
            "دعوت به وقت ملاقات",
            "سلام {name}،\n\nلطفاً در {date} ساعت {time} به این نشانی بیایید: {place}.\nموضوع: {anliegen}.",
        ),
        "tr": (
            "Randevuya davet",
            "Merhaba {name},\n\nlütfen {date} tarihinde saat {time} bize gelin: {place}.\nKonu: {anliegen}.",
        ),
        "uk": (
            "Запрошення на прийом",
            "Добрий день, {name}!\n\nБудь ласка, прийдіть до нас {date} о {time}: {place}.\nПитання: {anliegen}.",
        ),
        "ru": (
            "Приглашение на приём",
            "Здравствуйте, {name}!\n\nПожалуйста, приходите к нам {date} в {time}: {place}.\nВопрос: {anliegen}.",
        ),
        "fr": (
            "Invitation à un rendez-vous",
            "Bonjour {name},\n\nveuillez venir le {date} à {time} : {place}.\nObjet : {anliegen}.",
        ),
    },
    "decision_notice": {
        "de": (
            "Entscheidung in Ihrem Verfahren {case_number}",
            "Guten Tag {name},\n\nin Ihrem Verfahren {case_number} ist eine Entscheidung ergangen. "
            "Sie finden den Bescheid im Portal: {link}",
        ),
        "en": (
            "Decision in your case {case_number}",
            "Hello {name},\n\na decision has been made in your case {case_number}. You can read it in the portal: {link}",
        ),
        "ar": (
            "قرار في ملفك {case_number}",
            "مرحباً {name}،\n\nصدر قرار في ملفك {case_number}. يمكنك قراءته في البوابة: {link}",
        ),
        "fa": (
            "تصمیم درباره پرونده {case_number}",
            "سلام {name}،\n\nدرباره پرونده {case_number} تصمیم گرفته شد. آن را در پورتال بخوانید: {link}",
        ),
        "tr": (
            "{case_number} dosyanızda karar",
            "Merhaba {name},\n\n{case_number} dosyanızda karar verildi. Kararı portalda okuyabilirsiniz: {link}",
        ),
        "uk": (
            "Рішення у вашій справі {case_number}",
            "Добрий день, {name}!\n\nУ вашій справі {case_number} ухвалено рішення. Прочитайте його на порталі: {link}",
        ),
        "ru": (
            "Решение по вашему делу {case_number}",
            "Здравствуйте, {name}!\n\nПо вашему делу {case_number} принято решение. Прочитайте его на портале: {link}",
        ),
        "fr": (
            "Décision dans votre dossier {case_number}",
            "Bonjour {name},\n\nune décision a été prise dans votre dossier {case_number}. Vous pouvez la lire sur le portail : {link}",
        ),
    },
}

# The automatic acknowledgement of incoming e-mail (not an editable template: it must always work).
ACKNOWLEDGEMENT = {
    "de": (
        "Eingangsbestätigung: {subject}",
        "Vielen Dank für Ihre Nachricht. Sie ist bei uns eingegangen{reference}. Wir antworten so bald wie möglich.",
    ),
    "en": (
        "Acknowledgement: {subject}",
        "Thank you for your message. We have received it{reference}. We will answer as soon as possible.",
    ),
    "ar": ("تأكيد الاستلام: {subject}", "شكراً لرسالتك. لقد استلمناها{reference}. سنرد في أقرب وقت ممكن."),
    "fa": (
        "تأیید دریافت: {subject}",
        "از پیام شما سپاسگزاریم. پیام شما دریافت شد{reference}. در اسرع وقت پاسخ می‌دهیم.",
    ),
    "tr": (
        "Alındı bildirimi: {subject}",
        "Mesajınız için teşekkür ederiz. Mesajınız bize ulaştı{reference}. En kısa sürede yanıt vereceğiz.",
    ),
    "uk": (
        "Підтвердження отримання: {subject}",
        "Дякуємо за ваше повідомлення. Ми його отримали{reference}. Ми відповімо якомога швидше.",
    ),
    "ru": (
        "Подтверждение получения: {subject}",
        "Спасибо за ваше сообщение. Мы его получили{reference}. Мы ответим как можно скорее.",
    ),
    "fr": (
        "Accusé de réception : {subject}",
        "Merci pour votre message. Nous l'avons bien reçu{reference}. Nous répondrons dès que possible.",
    ),
}

# The e-mail notice of a new portal message: a link, never the content.
PORTAL_NOTICE = {
    "de": (
        "Neue Nachricht von {authority}",
        "Sie haben eine neue Nachricht im Portal. Bitte lesen Sie sie hier:\n{link}",
    ),
    "en": ("New message from {authority}", "You have a new message in the portal. Please read it here:\n{link}"),
    "ar": ("رسالة جديدة من {authority}", "لديك رسالة جديدة في البوابة. يرجى قراءتها هنا:\n{link}"),
    "fa": ("پیام جدید از {authority}", "شما یک پیام جدید در پورتال دارید. لطفاً آن را اینجا بخوانید:\n{link}"),
    "tr": ("{authority} kurumundan yeni mesaj", "Portalda yeni bir mesajınız var. Lütfen buradan okuyun:\n{link}"),
    "uk": ("Нове повідомлення від {authority}", "У вас нове повідомлення на порталі. Прочитайте його тут:\n{link}"),
    "ru": ("Новое сообщение от {authority}", "У вас новое сообщение на портале. Прочитайте его здесь:\n{link}"),
    "fr": (
        "Nouveau message de {authority}",
        "Vous avez un nouveau message sur le portail. Veuillez le lire ici :\n{link}",
    ),
}
