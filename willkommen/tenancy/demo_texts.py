"""The demo authorities' client-facing texts in the seven other languages (German is on the rows).

Keyed by the German text, so the same words (a team name used by both authorities) are translated once.
"""

AUTHORITY_TEXTS = {
    # phone hours
    "Mo–Do 8:00–12:00 und 13:00–15:00, Fr 8:00–12:00": {
        "en": "Mon–Thu 8:00–12:00 and 13:00–15:00, Fri 8:00–12:00",
        "ar": "الاثنين–الخميس 8:00–12:00 و13:00–15:00، الجمعة 8:00–12:00",
        "fa": "دوشنبه تا پنجشنبه ۸:۰۰–۱۲:۰۰ و ۱۳:۰۰–۱۵:۰۰، جمعه ۸:۰۰–۱۲:۰۰",
        "tr": "Pzt–Per 8:00–12:00 ve 13:00–15:00, Cuma 8:00–12:00",
        "uk": "Пн–Чт 8:00–12:00 і 13:00–15:00, Пт 8:00–12:00",
        "ru": "Пн–Чт 8:00–12:00 и 13:00–15:00, Пт 8:00–12:00",
        "fr": "lun.–jeu. 8h00–12h00 et 13h00–15h00, ven. 8h00–12h00",
    },
    "Mo, Di, Do 9:00–12:00; Mi 14:00–17:00": {
        "en": "Mon, Tue, Thu 9:00–12:00; Wed 14:00–17:00",
        "ar": "الاثنين والثلاثاء والخميس 9:00–12:00؛ الأربعاء 14:00–17:00",
        "fa": "دوشنبه، سه‌شنبه و پنجشنبه ۹:۰۰–۱۲:۰۰؛ چهارشنبه ۱۴:۰۰–۱۷:۰۰",
        "tr": "Pzt, Sal, Per 9:00–12:00; Çar 14:00–17:00",
        "uk": "Пн, Вт, Чт 9:00–12:00; Ср 14:00–17:00",
        "ru": "Пн, Вт, Чт 9:00–12:00; Ср 14:00–17:00",
        "fr": "lun., mar., jeu. 9h00–12h00 ; mer. 14h00–17h00",
    },
    # open consultation hours
    "Offene Sprechstunde ohne Termin: Dienstag 8:00–11:00 (Servicepoint, Erdgeschoss)": {
        "en": "Open consultation hours without an appointment: Tuesday 8:00–11:00 (ServicePoint, ground floor)",
        "ar": "ساعات استشارة مفتوحة بدون موعد: الثلاثاء 8:00–11:00 (نقطة الخدمة، الطابق الأرضي)",
        "fa": "ساعت مشاوره آزاد بدون وقت قبلی: سه‌شنبه ۸:۰۰–۱۱:۰۰ (پیشخوان خدمات، طبقه همکف)",
        "tr": "Randevusuz açık danışma saati: Salı 8:00–11:00 (Hizmet noktası, zemin kat)",
        "uk": "Відкриті консультації без запису: вівторок 8:00–11:00 (сервісний пункт, перший поверх)",
        "ru": "Открытые консультации без записи: вторник 8:00–11:00 (сервисный пункт, первый этаж)",
        "fr": "Permanence sans rendez-vous : mardi 8h00–11h00 (point d'accueil, rez-de-chaussée)",
    },
    "Offene Sprechstunde: Donnerstag 14:00–17:00 (Kreishaus, Raum 104)": {
        "en": "Open consultation hours: Thursday 14:00–17:00 (district office, room 104)",
        "ar": "ساعات استشارة مفتوحة: الخميس 14:00–17:00 (مبنى إدارة المقاطعة، الغرفة 104)",
        "fa": "ساعت مشاوره آزاد: پنجشنبه ۱۴:۰۰–۱۷:۰۰ (ساختمان اداره شهرستان، اتاق ۱۰۴)",
        "tr": "Açık danışma saati: Perşembe 14:00–17:00 (İlçe binası, oda 104)",
        "uk": "Відкриті консультації: четвер 14:00–17:00 (будівля округу, кімната 104)",
        "ru": "Открытые консультации: четверг 14:00–17:00 (здание районной администрации, комната 104)",
        "fr": "Permanence : jeudi 14h00–17h00 (maison du district, salle 104)",
    },
}

TEAM_NAMES = {
    "Studium und Forschung": {
        "en": "Study and research",
        "ar": "الدراسة والبحث العلمي",
        "fa": "تحصیل و پژوهش",
        "tr": "Öğrenim ve araştırma",
        "uk": "Навчання та дослідження",
        "ru": "Учёба и исследования",
        "fr": "Études et recherche",
    },
    "Erwerbstätigkeit": {
        "en": "Employment",
        "ar": "العمل",
        "fa": "اشتغال",
        "tr": "Çalışma",
        "uk": "Працевлаштування",
        "ru": "Трудовая деятельность",
        "fr": "Activité professionnelle",
    },
    "Bildung und Erwerbstätigkeit": {
        "en": "Education and employment",
        "ar": "التعليم والعمل",
        "fa": "آموزش و اشتغال",
        "tr": "Eğitim ve çalışma",
        "uk": "Освіта та працевлаштування",
        "ru": "Образование и трудовая деятельность",
        "fr": "Formation et activité professionnelle",
    },
    "Familie und Aufenthalt A–K": {
        "en": "Family and residence A–K",
        "ar": "الأسرة والإقامة A–K",
        "fa": "خانواده و اقامت A–K",
        "tr": "Aile ve oturum A–K",
        "uk": "Сім'я та перебування A–K",
        "ru": "Семья и пребывание A–K",
        "fr": "Famille et séjour A–K",
    },
    "Familie und Aufenthalt L–Z": {
        "en": "Family and residence L–Z",
        "ar": "الأسرة والإقامة L–Z",
        "fa": "خانواده و اقامت L–Z",
        "tr": "Aile ve oturum L–Z",
        "uk": "Сім'я та перебування L–Z",
        "ru": "Семья и пребывание L–Z",
        "fr": "Famille et séjour L–Z",
    },
    "Familie und Aufenthalt A–L": {
        "en": "Family and residence A–L",
        "ar": "الأسرة والإقامة A–L",
        "fa": "خانواده و اقامت A–L",
        "tr": "Aile ve oturum A–L",
        "uk": "Сім'я та перебування A–L",
        "ru": "Семья и пребывание A–L",
        "fr": "Famille et séjour A–L",
    },
    "Familie und Aufenthalt M–Z": {
        "en": "Family and residence M–Z",
        "ar": "الأسرة والإقامة M–Z",
        "fa": "خانواده و اقامت M–Z",
        "tr": "Aile ve oturum M–Z",
        "uk": "Сім'я та перебування M–Z",
        "ru": "Семья и пребывание M–Z",
        "fr": "Famille et séjour M–Z",
    },
    "Rückkehr und Duldung": {
        "en": "Return and toleration (Duldung)",
        "ar": "العودة والتسامح المؤقت (Duldung)",
        "fa": "بازگشت و اقامت تحمل‌شده (Duldung)",
        "tr": "Geri dönüş ve hoşgörü statüsü (Duldung)",
        "uk": "Повернення та толерування (Duldung)",
        "ru": "Возвращение и временная отсрочка депортации (Duldung)",
        "fr": "Retour et tolérance (Duldung)",
    },
}

TEAM_PHONE_HOURS = {
    "Mo–Fr 9:00–11:00": {
        "en": "Mon–Fri 9:00–11:00",
        "ar": "الاثنين–الجمعة 9:00–11:00",
        "fa": "دوشنبه تا جمعه ۹:۰۰–۱۱:۰۰",
        "tr": "Pzt–Cuma 9:00–11:00",
        "uk": "Пн–Пт 9:00–11:00",
        "ru": "Пн–Пт 9:00–11:00",
        "fr": "lun.–ven. 9h00–11h00",
    },
}
