"""The rules of the ex officio check as dated data (docs/rights.md). A change in the law is a new migration
that closes the old version (``valid_to``) and adds a new one; never edit these rows in place."""

import datetime as dt

from django.db import migrations

CHANCEN = "Gesetz zur Einführung eines Chancen-Aufenthaltsrechts, BGBl. 2022 I S. 2847"

RULES = [
    {
        "key": "25a",
        "version": "2022-12-31",
        "legal_basis": "§ 25a AufenthG",
        "source": f"§ 25a Abs. 1 AufenthG in der Fassung des {CHANCEN}",
        "valid_from": dt.date(2022, 12, 31),
        "valid_to": None,
        "anliegen_slug": "bleiberecht-25a-25b",
        "params": {
            "min_duldung_months": 12,
            "min_age": 14,
            "max_age": 27,
            "min_stay_years": 3,
            "harmless_gap_months": 3,
            "min_school_years": 3,
        },
        "explanation": {
            "de": "Junge Menschen, die seit mindestens 12 Monaten geduldet sind, seit 3 Jahren in Deutschland leben und hier 3 Jahre erfolgreich zur Schule gegangen sind oder einen anerkannten Abschluss haben, können vor ihrem 27. Geburtstag eine Aufenthaltserlaubnis bekommen (§ 25a AufenthG).",
            "en": "Young people who have held a Duldung for at least 12 months, have lived in Germany for 3 years and have successfully attended school here for 3 years or hold a recognised qualification can get a residence permit before their 27th birthday (§ 25a AufenthG).",
            "ar": "يمكن للشباب الحاصلين على تصريح إقامة مؤقتة (Duldung) منذ 12 شهرًا على الأقل، والمقيمين في ألمانيا منذ 3 سنوات، والذين درسوا بنجاح في مدارسها 3 سنوات أو لديهم مؤهل معترف به، الحصول على تصريح إقامة قبل بلوغهم 27 عامًا (المادة 25a من قانون الإقامة).",
            "fa": "جوانانی که دست‌کم ۱۲ ماه دولدونگ (Duldung) دارند، ۳ سال در آلمان زندگی کرده‌اند و ۳ سال با موفقیت در اینجا به مدرسه رفته‌اند یا مدرک شناخته‌شده دارند، می‌توانند پیش از ۲۷ سالگی اجازه اقامت بگیرند (ماده 25a قانون اقامت).",
            "tr": "En az 12 aydır Duldung sahibi olan, 3 yıldır Almanya'da yaşayan ve burada 3 yıl başarıyla okula gitmiş ya da tanınmış bir diploması olan gençler 27. doğum günlerinden önce oturma izni alabilir (AufenthG § 25a).",
            "uk": "Молоді люди, які щонайменше 12 місяців мають Duldung, 3 роки живуть у Німеччині та 3 роки успішно навчалися тут у школі або мають визнану кваліфікацію, можуть отримати дозвіл на проживання до свого 27-річчя (§ 25a AufenthG).",
            "ru": "Молодые люди, у которых не менее 12 месяцев есть Duldung, которые 3 года живут в Германии и 3 года успешно учились здесь в школе или имеют признанную квалификацию, могут получить вид на жительство до 27 лет (§ 25a AufenthG).",
            "fr": "Les jeunes titulaires d'une Duldung depuis au moins 12 mois, vivant en Allemagne depuis 3 ans et ayant suivi avec succès 3 années de scolarité ici ou titulaires d'une qualification reconnue peuvent obtenir un titre de séjour avant leurs 27 ans (§ 25a AufenthG).",
        },
    },
    {
        "key": "25b",
        "version": "2022-12-31",
        "legal_basis": "§ 25b AufenthG",
        "source": f"§ 25b Abs. 1 und 2 AufenthG in der Fassung des {CHANCEN}",
        "valid_from": dt.date(2022, 12, 31),
        "valid_to": None,
        "anliegen_slug": "bleiberecht-25a-25b",
        "params": {
            "min_stay_years": 6,
            "min_stay_years_with_child": 4,
            "harmless_gap_months": 3,
            "min_german": "A2",
            "refusal_sentence_months": 6,
        },
        "explanation": {
            "de": "Wer geduldet ist und seit 6 Jahren in Deutschland lebt (mit einem minderjährigen Kind seit 4 Jahren), überwiegend von eigener Arbeit lebt oder davon befreit ist, einfach Deutsch spricht (A2) und dessen Kinder zur Schule gehen, kann eine Aufenthaltserlaubnis bekommen (§ 25b AufenthG).",
            "en": "People with a Duldung who have lived in Germany for 6 years (4 years with a minor child), live mainly from their own work or are exempt from it, speak basic German (A2) and whose children attend school can get a residence permit (§ 25b AufenthG).",
            "ar": "يمكن للأشخاص الحاصلين على Duldung والمقيمين في ألمانيا منذ 6 سنوات (4 سنوات مع طفل قاصر)، الذين يعيشون في الغالب من عملهم أو معفون من ذلك، ويتحدثون الألمانية بمستوى أساسي (A2) ويذهب أطفالهم إلى المدرسة، الحصول على تصريح إقامة (المادة 25b من قانون الإقامة).",
            "fa": "کسانی که دولدونگ دارند و ۶ سال (با فرزند زیر سن قانونی ۴ سال) در آلمان زندگی کرده‌اند، عمدتاً از کار خود زندگی می‌کنند یا از آن معاف‌اند، آلمانی پایه (A2) صحبت می‌کنند و فرزندانشان به مدرسه می‌روند، می‌توانند اجازه اقامت بگیرند (ماده 25b قانون اقامت).",
            "tr": "Duldung sahibi olup 6 yıldır (reşit olmayan bir çocukla 4 yıldır) Almanya'da yaşayan, geçimini çoğunlukla kendi işiyle sağlayan ya da bundan muaf olan, temel düzeyde Almanca (A2) konuşan ve çocukları okula giden kişiler oturma izni alabilir (AufenthG § 25b).",
            "uk": "Люди з Duldung, які 6 років (з неповнолітньою дитиною 4 роки) живуть у Німеччині, утримують себе переважно власною працею або звільнені від цього, володіють базовою німецькою (A2) і чиї діти ходять до школи, можуть отримати дозвіл на проживання (§ 25b AufenthG).",
            "ru": "Лица с Duldung, которые 6 лет (с несовершеннолетним ребёнком 4 года) живут в Германии, обеспечивают себя в основном своим трудом или освобождены от этого, говорят по-немецки на базовом уровне (A2) и чьи дети ходят в школу, могут получить вид на жительство (§ 25b AufenthG).",
            "fr": "Les personnes titulaires d'une Duldung qui vivent en Allemagne depuis 6 ans (4 ans avec un enfant mineur), vivent principalement de leur travail ou en sont dispensées, parlent un allemand de base (A2) et dont les enfants vont à l'école peuvent obtenir un titre de séjour (§ 25b AufenthG).",
        },
    },
    {
        "key": "104c",
        "version": "2022-12-31",
        "legal_basis": "§ 104c AufenthG",
        "source": f"§ 104c AufenthG, eingeführt durch das {CHANCEN}; Anträge bis 31.12.2025",
        "valid_from": dt.date(2022, 12, 31),
        "valid_to": dt.date(2025, 12, 31),
        "anliegen_slug": "chancen-aufenthaltsrecht",
        "params": {"cutoff": "2022-10-31", "min_stay_years": 5, "harmless_gap_months": 3, "max_fine_daily_rates": 50},
        "explanation": {
            "de": "Wer am 31. Oktober 2022 seit 5 Jahren geduldet, gestattet oder erlaubt in Deutschland lebte und nicht straffällig war, konnte bis zum 31. Dezember 2025 ein Chancen-Aufenthaltsrecht für 18 Monate beantragen (§ 104c AufenthG).",
            "en": "People who on 31 October 2022 had lived in Germany for 5 years with a Duldung, Gestattung or permit and had no criminal record could apply for an 18-month opportunity residence permit until 31 December 2025 (§ 104c AufenthG).",
            "ar": "كان بإمكان من عاش في ألمانيا حتى 31 أكتوبر 2022 لمدة 5 سنوات بتصريح Duldung أو Gestattung أو إقامة دون سوابق جنائية أن يتقدم حتى 31 ديسمبر 2025 بطلب إقامة الفرصة لمدة 18 شهرًا (المادة 104c من قانون الإقامة).",
            "fa": "کسانی که تا ۳۱ اکتبر ۲۰۲۲ پنج سال با دولدونگ، گشتاتونگ یا اجازه اقامت در آلمان زندگی کرده و سابقه کیفری نداشتند، می‌توانستند تا ۳۱ دسامبر ۲۰۲۵ برای اقامت فرصت ۱۸ ماهه درخواست دهند (ماده 104c قانون اقامت).",
            "tr": "31 Ekim 2022 itibarıyla 5 yıldır Duldung, Gestattung veya izinle Almanya'da yaşayan ve sabıkası olmayan kişiler 31 Aralık 2025'e kadar 18 aylık fırsat oturma izni için başvurabiliyordu (AufenthG § 104c).",
            "uk": "Особи, які станом на 31 жовтня 2022 року 5 років жили в Німеччині з Duldung, Gestattung або дозволом і не мали судимостей, могли до 31 грудня 2025 року подати заяву на 18-місячний «шансовий» дозвіл на проживання (§ 104c AufenthG).",
            "ru": "Лица, которые на 31 октября 2022 года 5 лет жили в Германии с Duldung, Gestattung или разрешением и не имели судимостей, могли до 31 декабря 2025 года подать заявление на 18-месячное «право на шанс» (§ 104c AufenthG).",
            "fr": "Les personnes qui, au 31 octobre 2022, vivaient en Allemagne depuis 5 ans avec une Duldung, une Gestattung ou un titre et sans condamnation pouvaient demander jusqu'au 31 décembre 2025 un droit de séjour « chance » de 18 mois (§ 104c AufenthG).",
        },
    },
    {
        "key": "60d",
        "version": "2024-03-01",
        "legal_basis": "§ 60d AufenthG",
        "source": "§ 60d Abs. 1 AufenthG in der Fassung des Gesetzes zur Weiterentwicklung der Fachkräfteeinwanderung, BGBl. 2023 I Nr. 217",
        "valid_from": dt.date(2024, 3, 1),
        "valid_to": None,
        "anliegen_slug": "duldung",
        "params": {"min_duldung_months": 12, "entered_by": "2022-12-31", "min_german": "A2", "max_fine_daily_rates": 50},
        "explanation": {
            "de": "Wer vor 2023 eingereist ist, seit 12 Monaten geduldet ist, von seiner Arbeit lebt, einfach Deutsch spricht (A2), dessen Identität geklärt ist und der nicht straffällig war, kann eine Beschäftigungsduldung bekommen (§ 60d AufenthG).",
            "en": "People who entered before 2023, have held a Duldung for 12 months, live from their work, speak basic German (A2), whose identity is clarified and who have no criminal record can get an employment toleration (§ 60d AufenthG).",
            "ar": "يمكن لمن دخل ألمانيا قبل عام 2023، ولديه Duldung منذ 12 شهرًا، ويعيش من عمله، ويتحدث الألمانية بمستوى أساسي (A2)، وهويته موضحة، وليس لديه سوابق جنائية، الحصول على إقامة مؤقتة للعمل (المادة 60d من قانون الإقامة).",
            "fa": "کسانی که پیش از ۲۰۲۳ وارد شده‌اند، ۱۲ ماه دولدونگ دارند، از کار خود زندگی می‌کنند، آلمانی پایه (A2) صحبت می‌کنند، هویتشان روشن است و سابقه کیفری ندارند، می‌توانند دولدونگ اشتغال بگیرند (ماده 60d قانون اقامت).",
            "tr": "2023'ten önce giriş yapmış, 12 aydır Duldung sahibi olan, işiyle geçinen, temel düzeyde Almanca (A2) konuşan, kimliği netleşmiş ve sabıkası olmayan kişiler istihdam Duldung'u alabilir (AufenthG § 60d).",
            "uk": "Особи, які в'їхали до 2023 року, 12 місяців мають Duldung, живуть зі своєї роботи, володіють базовою німецькою (A2), чию особу встановлено і які не мають судимостей, можуть отримати Duldung для працевлаштування (§ 60d AufenthG).",
            "ru": "Лица, въехавшие до 2023 года, 12 месяцев имеющие Duldung, живущие на доход от работы, говорящие по-немецки на базовом уровне (A2), чья личность установлена и которые не имеют судимостей, могут получить Duldung по трудоустройству (§ 60d AufenthG).",
            "fr": "Les personnes entrées avant 2023, titulaires d'une Duldung depuis 12 mois, vivant de leur travail, parlant un allemand de base (A2), dont l'identité est établie et sans condamnation peuvent obtenir une tolérance pour emploi (§ 60d AufenthG).",
        },
    },
    {
        "key": "19d",
        "version": "2020-03-01",
        "legal_basis": "§ 19d AufenthG",
        "source": "§ 19d Abs. 1 AufenthG in der Fassung des Fachkräfteeinwanderungsgesetzes, BGBl. 2019 I S. 1307",
        "valid_from": dt.date(2020, 3, 1),
        "valid_to": None,
        "anliegen_slug": "fachkraft",
        "params": {"min_german": "B1", "max_fine_daily_rates": 50},
        "explanation": {
            "de": "Geduldete mit einem in Deutschland anerkannten Berufs- oder Hochschulabschluss, guten Deutschkenntnissen (B1) und ohne Straftaten können eine Aufenthaltserlaubnis zur Beschäftigung bekommen (§ 19d AufenthG).",
            "en": "People with a Duldung who hold a vocational or university qualification recognised in Germany, speak good German (B1) and have no criminal record can get a residence permit for employment (§ 19d AufenthG).",
            "ar": "يمكن للحاصلين على Duldung ولديهم مؤهل مهني أو جامعي معترف به في ألمانيا، ويتقنون الألمانية بمستوى جيد (B1)، وليس لديهم سوابق جنائية، الحصول على تصريح إقامة للعمل (المادة 19d من قانون الإقامة).",
            "fa": "دارندگان دولدونگ با مدرک حرفه‌ای یا دانشگاهی شناخته‌شده در آلمان، آلمانی خوب (B1) و بدون سابقه کیفری می‌توانند اجازه اقامت برای اشتغال بگیرند (ماده 19d قانون اقامت).",
            "tr": "Almanya'da tanınan bir meslek veya üniversite diploması olan, iyi Almanca (B1) konuşan ve sabıkası olmayan Duldung sahipleri çalışma amaçlı oturma izni alabilir (AufenthG § 19d).",
            "uk": "Особи з Duldung, які мають визнану в Німеччині професійну або вищу освіту, добре володіють німецькою (B1) і не мають судимостей, можуть отримати дозвіл на проживання для працевлаштування (§ 19d AufenthG).",
            "ru": "Лица с Duldung, имеющие признанное в Германии профессиональное или высшее образование, хорошо владеющие немецким (B1) и не имеющие судимостей, могут получить вид на жительство для работы (§ 19d AufenthG).",
            "fr": "Les titulaires d'une Duldung ayant un diplôme professionnel ou universitaire reconnu en Allemagne, un bon niveau d'allemand (B1) et sans condamnation peuvent obtenir un titre de séjour pour travailler (§ 19d AufenthG).",
        },
    },
]


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("rights", "RuleVersion")
    for rule in RULES:
        values = dict(rule)
        RuleVersion.objects.update_or_create(key=values.pop("key"), version=values.pop("version"), defaults=values)


def unseed(apps, schema_editor):
    RuleVersion = apps.get_model("rights", "RuleVersion")
    for rule in RULES:
        RuleVersion.objects.filter(key=rule["key"], version=rule["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
