"""The project's zh-Hans translations of strings the installed packages lack (issue 10).

django-unfold 0.91 ships no Chinese catalogue; django-axes, drf-spectacular and django-filter
ship none for zh-Hans; a few strings of DRF and simple-history are missing. Django looks in the
project's LOCALE_PATHS first, so these fill the gaps. Run `make messages` after editing: it
writes src/ecogov/locale/zh_Hans/LC_MESSAGES/django.po and compiles django.mo (both committed;
a test checks that the .mo matches the .po and that every string below is translated).
"""

TRANSLATIONS = {
    # django-unfold: list pages, filters, search, navigation
    "Select record": "选择记录",
    "Select action": "选择操作",
    "Select action to run": "选择要执行的操作",
    "Run": "执行",
    "More actions": "更多操作",
    "Select all rows": "选择全部行",
    "Expand row": "展开行",
    "Apply Filters": "应用筛选",
    "Type to search": "输入关键词搜索",
    "Search apps and models...": "搜索功能和台账…",
    "All applications": "全部功能",
    "Recent searches": "最近搜索",
    "No recent searches": "没有最近的搜索",
    "No results matching your query": "没有符合条件的结果",
    "Loading more results...": "正在加载更多结果…",
    "\n                Found %(counter)s result in %(time)s seconds\n            ": "\n                用时 %(time)s 秒,找到 %(counter)s 条结果\n            ",
    "No results found": "没有找到记录",
    "This page yielded into no results. Create a new item or reset your filters.": "当前条件下没有记录。可以新增一条记录,或重置筛选条件。",
    "Reset filters": "重置筛选",
    "No data": "暂无数据",
    "Go back": "返回",
    "Previous": "上一页",
    "Next": "下一页",
    "General": "基本信息",
    "Light": "浅色",
    "Dark": "深色",
    "System": "跟随系统",
    "True": "是",
    "False": "否",
    "Select value": "请选择",
    "Select currency": "选择币种",
    "Date": "日期",
    "Cancel": "取消",
    "Record picture": "记录图片",
    "This item will be deleted.": "此项将被删除。",
    "Click to cancel": "点击取消",
    "Image preview": "图片预览",
    "Click to download": "点击下载",
    "Choose file to upload": "选择要上传的文件",
    "Toggle password visibility": "显示或隐藏密码",
    "Welcome back to": "欢迎登录",
    "Return to site": "返回网站",
    "You have been successfully logged out from the administration": "您已安全退出系统",
    "After you've created a user, you’ll be able to edit more user options.": "创建用户后,可以继续编辑该用户的其他信息。",
    "Raw passwords are not stored, so there is no way to see this user’s password, but you can "
    'change the password using <a href="{}" class="text-primary-600 dark:text-primary-500">'
    "this form</a>.": "系统不保存密码原文,因此无法查看该用户的密码;可以通过"
    '<a href="{}" class="text-primary-600 dark:text-primary-500">此表单</a>修改密码。',
    "Dataset not found. No action performed.": "未找到数据集,未执行任何操作。",
    "You can not create nested object without parent": "请先保存上级记录,再添加下级记录",
    "Add row": "添加一行",
    "Collapse": "收起",
    # unfold.contrib.filters
    "From": "从",
    "To": "至",
    "Date from": "开始日期",
    "Date to": "结束日期",
    "Not enough data.": "数据不足。",
    # unfold.contrib.simple_history / django-simple-history
    "Choose a date from the list below to revert to a previous version of this object": "以下是该记录的修改历史",
    "Changes": "变更内容",
    "Deleted %(type_name)s": "已删除的%(type_name)s",
    # django-axes (the security administrator's lockout screens)
    "Locked Out": "已锁定",
    "Form Data": "表单数据",
    "Meta Data": "请求信息",
    "Clean up expired attempts": "清理已过期的登录失败记录",
    "Cleaned up {count} expired access attempts.": "已清理 {count} 条过期的登录失败记录。",
    "Not set": "未设置",
    "Attempt Remaining": "次尝试机会",
    "Account locked: too many login attempts. Please try again later.": "登录失败次数过多,账户已锁定,请稍后再试。",
    "Account locked: too many login attempts. Contact an admin to unlock your account.": "登录失败次数过多,账户已锁定,请联系安全管理员解锁。",
    "User Agent": "浏览器标识",
    "IP Address": "IP 地址",
    "HTTP Accept": "HTTP Accept 头",
    "Path": "访问路径",
    "Attempt Time": "尝试时间",
    "Access lock out": "访问锁定",
    "access failure": "登录失败",
    "access failures": "登录失败",
    "GET Data": "GET 数据",
    "POST Data": "POST 数据",
    "Failed Logins": "失败次数",
    "access attempt": "登录失败与锁定",
    "access attempts": "登录失败与锁定",
    "Access Attempt": "登录尝试",
    "Expires At": "过期时间",
    "The time when access attempt expires and is no longer valid.": "该登录失败记录失效的时间。",
    "access attempt expiration": "登录失败记录有效期",
    "access attempt expirations": "登录失败记录有效期",
    "Logout Time": "退出时间",
    "Session key hash (sha256)": "会话标识摘要(sha256)",
    "access log": "登录日志",
    "access logs": "登录日志",
    # Django REST framework, drf-spectacular, django-filter (the API's browsable pages)
    "A valid biginteger is required.": "请填写有效的整数。",
    "Integer value too large to convert to float": "整数太大,无法转换为浮点数",
    "No response body": "无响应内容",
    "Unspecified response body": "未说明的响应内容",
    'Token-based authentication with required prefix "%s"': "令牌认证,请求头须带前缀“%s”",
    "date": "日期",
    "year": "年",
    "month": "月",
    "day": "日",
    "week day": "星期",
    "hour": "时",
    "minute": "分",
    "second": "秒",
    "contains": "包含",
    "is in": "属于",
    "is greater than": "大于",
    "is greater than or equal to": "大于或等于",
    "is less than": "小于",
    "is less than or equal to": "小于或等于",
    "starts with": "开头是",
    "ends with": "结尾是",
    "is in range": "在范围内",
    "is null": "为空",
    "matches regex": "匹配正则表达式",
    "search": "搜索",
    "is contained by": "被包含于",
    "overlaps": "有交集",
    "has key": "含键",
    "has keys": "含全部键",
    "has any keys": "含任一键",
    "Select a lookup.": "请选择比较方式。",
    "Range query expects two values.": "范围查询需要两个值。",
    "Yesterday": "昨天",
    "Multiple values may be separated by commas.": "多个值用逗号分隔。",
    "%s (descending)": "%s(降序)",
    "Submit": "提交",
    "Field filters": "字段筛选",
    "exclude": "排除",
}


def write_catalogue(po_path, mo_path) -> None:
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_Hans",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for msgid, msgstr in sorted(TRANSLATIONS.items()):
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    po.save(str(po_path))
    po.save_as_mofile(str(mo_path))


if __name__ == "__main__":
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "src/ecogov/locale/zh_Hans/LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    write_catalogue(folder / "django.po", folder / "django.mo")
    print(f"wrote {folder}/django.po and django.mo ({len(TRANSLATIONS)} strings)")
