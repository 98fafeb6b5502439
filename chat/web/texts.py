"""The web app's own words, in Traditional Chinese and English (Chainlit's are in .chainlit)."""

from __future__ import annotations

from collections.abc import Iterable

TEXTS: dict[str, dict[str, str]] = {
    "zh-TW": {
        "sources": "來源",
        "searched": "其他搜尋過、未用於回答的頁面或段落：",
        "snippet": "摘錄",
        "not_covered": "知識庫未涵蓋",
        "small_model": "這個回答由本機的小型模型寫成，可能有誤：請以上面引用的原文為準。",
        "waiting": "排隊中：前面還有 {ahead} 位，輪到您時會開始回答。",
        "reading": "正在搜尋知識庫並閱讀相關頁面，馬上開始回答……",
        "stopped": "已停止：回答沒有寫完。",
        "ingesting": "匯入 {name}",
        "ingested": "{name}：已匯入 {parts}到{where}，可以開始提問。",
        "already": "{name}：這份文件已在{where}中。",
        "to_private": "我的文件（自己與管理員可見）",
        "to_shared": "機構文件庫「{name}」（同仁都看得到）",
        "my_documents": "我的文件",
        "uploaded": "上傳：{names}",
        "no_documents": "您還沒有上傳文件。把文件（PDF、Word、Excel、CSV、HTML、文字檔或 "
        "Markdown）拖進對話框即可上傳。",
        "pages": "{count} 頁",
        "sections": "{count} 節",
        "not_readable": "{name}：kbchat 讀不了這種檔案，沒有匯入。可以上傳的有 PDF、Word（.docx）、"
        "Excel（.xlsx）、CSV、HTML、純文字（.txt）和 Markdown（.md）。",
        "remove_document": "移除 {name}",
        "document_removed": "已移除 {name}：它的內容不會再被搜尋或引用。",
        "not_your_document": "這份文件不在您的文件中（可能已移除）。",
        "ingest_reading": "{name}：讀取中 {done}/{total}……",
        "ingest_read": "{name}：已讀取 {parts}，建立索引中……",
        "ingest_embed": "{name}：已讀取 {parts}，建立索引 {done}/{total} 段……",
        "ingest_page": "{name}：讀取第 {done}/{total} 頁……",
        "ingest_ocr_page": "{name}：讀取第 {done}/{total} 頁（文字辨識）……",
        "share": "分享這則問答",
        "answer_again": "重新回答",
        "export_chat": "匯出這段對話",
        "exported": "[下載這段對話（Markdown）]({link})：問與答依序列出，引用的頁面附上連結。",
        "agree": "同意並分享",
        "consent_for": "分享「{answer}」這一問的回答之前，請先閱讀：",
        "cancel": "取消",
        "preview": "**將儲存的內容**（個人資料已遮蔽）\n\n問：{question}\n\n答：{answer}",
        "masked": "已遮蔽：{kinds}",
        "shared": "已分享（編號 {id}）。您可以隨時在「我分享的問答」撤回。",
        "not_shared": "沒有分享。",
        "already_shared": "這則問答已分享（編號 {id}）；要收回請按「撤回 #{id}」。",
        "draft_gone": "這則回答已無法分享（對話已重新開始）。請再問一次，然後分享新的回答。",
        "my_shares": "我分享的問答",
        "no_shares": "您還沒有分享任何問答。",
        "all_withdrawn": "您分享過的問答都已撤回，目前沒有分享中的問答。",
        "too_long": "問題太長：{length} 個字，上限是 {limit} 個字。請縮短後再問。",
        "status_pending": "待審核",
        "status_approved": "已核准",
        "status_rejected": "未採用",
        "status_withdrawn": "已撤回",
        "already_withdrawn": "#{id} 先前已撤回。",
        "withdraw": "撤回 #{id}",
        "withdrawn": "已撤回 #{id}，之後匯出的資料集不會再包含它。",
        "change_password": "請先設定新密碼才能開始使用：[設定新密碼](/kbchat/account/password)",
        "error": "發生錯誤：{message}",
        "model_missing": "角色「{persona}」指定由模型「{model}」回答，"
        "但這個模型沒有設定（{reason}）。kbchat 不會改用預設模型代答；"
        "請通知管理員設定它，或改用其他角色。",
        "model_unreachable": "角色「{persona}」指定由模型「{model}」回答，"
        "但它目前無法使用：{reason}。kbchat 不會改用預設模型代答；請稍後再問，或通知管理員。",
        "incomplete": "回答沒有完成：{message}。以上內容不完整，請稍後再問一次。",
        "session_ended": "這個登入已失效（{reason}），請重新登入。",
        "rate_limited": "提問太頻繁：每位使用者每分鐘最多 {limit} 題，請 {wait} 秒後再問。",
        "ingest_busy": "您已有 {limit} 份文件正在匯入，請等它們完成後再上傳 {name}。",
        "search_in": "提問時搜尋哪些文件庫",
        "search_in_help": "只勾選部分文件庫，回答只會引用其中的頁面；都不勾選＝全部。",
        "upload_target": "上傳到哪裡",
        "upload_target_help": "之後上傳的文件放在這裡；機構文件庫的內容所有同仁都能搜尋。",
    },
    "en": {
        "sources": "Sources",
        "searched": "Also searched, not used in the answer:",
        "snippet": "excerpt",
        "not_covered": "Not in the knowledge base",
        "small_model": "Written by a small local model, which can be wrong: rely on the cited "
        "pages above.",
        "waiting": "In line: {ahead} ahead of you; the answer starts when it is your turn.",
        "reading": "Searching the knowledge base and reading the pages; the answer starts shortly…",
        "stopped": "Stopped: the answer was not finished.",
        "ingesting": "Importing {name}",
        "ingested": "{name}: {parts} imported into {where}; ask away.",
        "already": "{name}: this document is already in {where}.",
        "to_private": "My documents (you and admins)",
        "to_shared": "the organization collection '{name}' (all staff can see it)",
        "my_documents": "My documents",
        "uploaded": "Uploaded: {names}",
        "no_documents": "You have not uploaded any documents; drop a document (PDF, Word, "
        "Excel, CSV, HTML, text or Markdown) into the chat.",
        "pages": "{count} pages",
        "sections": "{count} sections",
        "not_readable": "{name}: kbchat cannot read this kind of file, so it was not imported. "
        "It reads PDF, Word (.docx), Excel (.xlsx), CSV, HTML, text (.txt) and Markdown (.md).",
        "remove_document": "Remove {name}",
        "document_removed": "Removed {name}: it is no longer searched or cited.",
        "not_your_document": "That document is not among yours (removed already?).",
        "ingest_reading": "{name}: reading {done}/{total}…",
        "ingest_read": "{name}: {parts} read; indexing…",
        "ingest_embed": "{name}: {parts} read; indexing passage {done}/{total}…",
        "ingest_page": "{name}: reading page {done}/{total}…",
        "ingest_ocr_page": "{name}: reading page {done}/{total} (OCR)…",
        "share": "Share this QA",
        "answer_again": "Answer again",
        "export_chat": "Export this chat",
        "exported": "[Download this chat (Markdown)]({link}): the questions and answers in "
        "order, with links to the cited pages.",
        "agree": "Agree and share",
        "consent_for": "Before sharing the answer to \u201c{answer}\u201d, please read:",
        "cancel": "Cancel",
        "preview": "**What will be stored** (personal data masked)\n\nQ: {question}\n\nA: {answer}",
        "masked": "Masked: {kinds}",
        "shared": "Shared (no. {id}). You can withdraw it at any time under My shared QA.",
        "not_shared": "Not shared.",
        "already_shared": "This QA is already shared (no. {id}); to take it back, use "
        "Withdraw #{id}.",
        "draft_gone": "This answer can no longer be shared (the chat has restarted). Ask again, "
        "then share the new answer.",
        "my_shares": "My shared QA",
        "no_shares": "You have not shared any QA yet.",
        "all_withdrawn": "Everything you shared has been withdrawn; nothing is shared now.",
        "too_long": "The question is {length} characters long; the limit is {limit}. "
        "Please shorten it and ask again.",
        "status_pending": "awaiting review",
        "status_approved": "approved",
        "status_rejected": "not taken",
        "status_withdrawn": "withdrawn",
        "already_withdrawn": "#{id} was withdrawn already.",
        "withdraw": "Withdraw #{id}",
        "withdrawn": "Withdrawn #{id}; later dataset exports will leave it out.",
        "change_password": (
            "Set a new password before you start: [set a new password](/kbchat/account/password)"
        ),
        "error": "Something went wrong: {message}",
        "model_missing": "The persona '{persona}' answers with the model '{model}', which is not "
        "configured ({reason}). kbchat does not answer with the default model instead; ask an "
        "admin to configure it, or pick another persona.",
        "model_unreachable": "The persona '{persona}' answers with the model '{model}', which "
        "cannot answer now: {reason}. kbchat does not answer with the default model instead; "
        "ask again later, or tell an admin.",
        "incomplete": "The answer was cut off: {message}. What is shown above is incomplete; "
        "please ask again later.",
        "session_ended": "This login has ended ({reason}); please log in again.",
        "rate_limited": "Too many questions: at most {limit} a minute per user; please ask again "
        "in {wait} s.",
        "ingest_busy": "{limit} of your uploads are already being indexed; upload {name} again "
        "when they are done.",
        "search_in": "Search these collections",
        "search_in_help": "Answers cite only the collections ticked here; none ticked: all.",
        "upload_target": "Upload to",
        "upload_target_help": "Where the documents you upload next go; all staff can search an "
        "organization collection.",
    },
}


def text(locale: str, key: str, **values: object) -> str:
    """A UI string in the persona's language (English for any non-Chinese locale)."""
    language = "zh-TW" if locale.startswith("zh") else "en"
    return TEXTS[language][key].format(**values)


def joined(items: Iterable[str], locale: str) -> str:
    """Items as a list in the locale's way: 「甲、乙」 or "a, b"."""
    return ("、" if locale.startswith("zh") else ", ").join(items)
