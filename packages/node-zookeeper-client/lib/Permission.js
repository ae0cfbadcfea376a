/**
 * Copyright (c) 2013 Yahoo! Inc. All rights reserved.
 *
 * Copyrights licensed under the MIT License. See the accompanying LICENSE file
 * for terms.
 */

var PERMISSIONS = {
    READ : 1,
    WRITE : 2,
    CREATE : 4,
    DELETE : 8,
    ADMIN : 16,
    ALL : 31
};

module.exports = PERMISSIONS;

