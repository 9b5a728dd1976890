"""What the app says, in Finnish, Swedish and English: every text by key (``i18n``),
the store's and the sync client's error codes (``problem_texts``, ``problems``),
records and plans in plain words (``words``), dates and times as in Finland
(``dates``). The translations live in the gettext catalogues (shared/locale)."""
