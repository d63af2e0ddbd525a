-- Chinese and English. A user's chosen language ('en' or 'zh-CN'; NULL until
-- they choose: then the browser's language decides).
ALTER TABLE users ADD COLUMN locale TEXT;

-- An alert's words as a message key and its parameters (JSON of i18n::Msg for
-- the title, the reason and the action), rendered in each reader's language.
-- Rows opened before this keep their English text in title/reason/action.
ALTER TABLE alerts ADD COLUMN said TEXT;
